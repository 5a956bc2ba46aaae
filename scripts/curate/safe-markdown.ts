/**
 * Curation emits text and safe Markdown only. A saved page's escaped "&lt;script&gt;" is
 * text, so every "<" in the body is written as "&lt;" (the content build renders Markdown
 * with raw HTML allowed); links and images keep only http, https, mailto and relative
 * addresses, and an unsafe link keeps its text. Code keeps its characters as they are.
 */
import { REGISTRATION_LINE } from "../content/compile.ts";
import type { Block } from "./blocks.ts";

const SAFE_SCHEMES = new Set(["http", "https", "mailto"]);

const NAMED_ENTITIES: Record<string, string> = { colon: ":", tab: "\t", newline: "\n", lpar: "(", rpar: ")", sol: "/", amp: "&" };

/** Character references decoded the way a browser or Markdown renderer decodes them in an address. */
function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1]?.toLowerCase() === "x" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
}

/** An address that is http, https, mailto or relative, whatever case, spaces, control characters or references hide its scheme. */
export function isSafeUrl(address: string): boolean {
  const bare = decodeReferences(address).replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(bare)?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme);
}

/** An inline link or image: [text](address "title"), the address allowing one level of parentheses. */
const INLINE_LINK = /(!?)\[([^\]]*)\]\(\s*((?:[^()\s]|\([^()]*\))*)(\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*(\S+).*$/gm;

function safeText(text: string): { text: string; changes: number } {
  let changes = 0;
  // Code spans keep their characters; everything else has "<" written as a reference.
  const out = text
    .split(/(`+[^`]*`+)/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      return part
        .replace(INLINE_LINK, (whole, bang: string, label: string, address: string) => {
          if (isSafeUrl(address)) return whole;
          changes += 1;
          return bang ? "" : label;
        })
        .replace(REFERENCE_DEFINITION, (whole, address: string) => {
          if (isSafeUrl(address)) return whole;
          changes += 1;
          return "";
        })
        .replace(/</g, () => {
          changes += 1;
          return "&lt;";
        });
    })
    .join("");
  return { text: out, changes };
}

export function safeMarkdown(blocks: Block[]): { blocks: Block[]; changes: number } {
  let changes = 0;
  const out = blocks.flatMap((block): Block[] => {
    if (block.kind === "figure") {
      if (isSafeUrl(block.file)) return [block];
      changes += 1;
      return block.caption ? [{ kind: "paragraph", text: block.caption }] : [];
    }
    if (block.text === REGISTRATION_LINE || (block.kind === "markdown" && block.text.startsWith("```"))) return [block];
    const safe = safeText(block.text);
    changes += safe.changes;
    return [{ ...block, text: safe.text }];
  });
  return { blocks: out, changes };
}
