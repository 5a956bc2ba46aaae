/**
 * The report's guarantee that curation kept every sentence: the kept input text and the
 * output are compared sentence by sentence, regardless of white space, Markdown syntax and
 * full- or half-width punctuation (which curation changes on purpose).
 */
import type { Block } from "./blocks.ts";

const TO_ASCII: Record<string, string> = { "，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "？": "?", "！": "!", "“": '"', "”": '"' };

/** Markdown reduced to its words: no markers or thematic breaks, link text without targets, figures as their captions. */
export function markdownPlain(markdown: string): string {
  return markdown
    .replace(/^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/gm, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, "$1")
    .replace(/&lt;/g, "<");
}

export function blocksPlain(blocks: Block[]): string {
  return blocks.map((b) => (b.kind === "figure" ? (b.caption ?? "") : markdownPlain(b.text))).join("\n");
}

/** Text as sentences are compared: words only, without white space, with ASCII punctuation. */
export function comparable(text: string): string {
  return markdownPlain(text)
    .replace(/[，：；（）？！“”]/g, (c) => TO_ASCII[c] ?? c)
    .replace(/…+|\.{3,}|。{3,}/g, "…")
    .replace(/\s+/g, "");
}

/**
 * The text without the removed parts (compared as sentences are): what the output must
 * still hold. Sentences end only at sentence marks, in the input as in the output, so a
 * removed line between a heading and its paragraph joins them as the output does.
 */
export function withoutParts(text: string, parts: string[]): string {
  let flat = comparable(text);
  for (const part of parts) {
    const needle = comparable(part);
    if (needle) flat = flat.replace(needle, "");
  }
  return flat;
}

/** Sentences of a text, compared without white space and with ASCII punctuation. */
export function sentences(text: string): string[] {
  const flat = comparable(text);
  return flat.split(/(?<=[。!?][」』"’)]*)/u).filter((s) => s.length > 0);
}

export interface SentenceCheck {
  in: number;
  out: number;
  missing: string[];
  added: string[];
}

/** Sentences of `input` missing from `output` and the other way round (as multisets). */
export function compareSentences(input: string, output: string): SentenceCheck {
  const before = sentences(input);
  const after = sentences(output);
  const remaining = new Map<string, number>();
  for (const s of after) remaining.set(s, (remaining.get(s) ?? 0) + 1);
  const missing: string[] = [];
  for (const s of before) {
    const left = remaining.get(s) ?? 0;
    if (left > 0) remaining.set(s, left - 1);
    else missing.push(s);
  }
  const added = [...remaining].flatMap(([s, n]) => Array<string>(n).fill(s));
  return { in: before.length, out: after.length, missing, added };
}
