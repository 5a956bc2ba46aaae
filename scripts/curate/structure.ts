/**
 * Rules that rebuild the structure a scrape lost: figure captions, paragraphs that were run
 * together, and headings that became plain lines. Each returns how many changes it made.
 */
import type { Block } from "./blocks.ts";
import { metaFromLine } from "./metadata.ts";

/** A photo credit closes a caption: "…加速服务。来源：智源研究院", "…（记者 李明 摄）". */
const CREDIT = /(?:来源|图源|图片来源|供图|摄影)\s*[：:]\s*\S+|[（(][^（）()\n]{1,20}摄[）)]|记者\s*\p{Script=Han}{2,4}\s*[摄图]$/u;
/** Caption openings: "图1：", "图为", "▲". */
export const CAPTION_START = /^(?:图\s*\d*\s*[：:.、|｜]|图为|[▲△])/u;

/**
 * The paragraph after an image without a caption is its caption when it reads like one
 * (it opens like a caption or ends with a photo credit). Text the scrape ran on after the
 * credit becomes a paragraph again.
 */
export function captionFigures(blocks: Block[]): { blocks: Block[]; changes: number } {
  const out: Block[] = [];
  let changes = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const next = blocks[i + 1];
    if (!block) continue;
    if (block.kind !== "figure" || block.caption || next?.kind !== "paragraph") {
      out.push(block);
      continue;
    }
    const credit = CREDIT.exec(next.text);
    const creditEnd = credit ? credit.index + credit[0].length : -1;
    const rest = credit ? next.text.slice(creditEnd).trim() : "";
    if (credit && (rest === "" || /^\s/.test(next.text.slice(creditEnd)))) {
      out.push({ ...block, caption: next.text.slice(0, creditEnd).trim() });
      if (rest) out.push({ kind: "paragraph", text: rest });
    } else if (CAPTION_START.test(next.text) && next.text.length <= 120) {
      out.push({ ...block, caption: next.text.replace(/^[▲△]\s*/u, "") });
    } else {
      out.push(block);
      continue;
    }
    changes += 1;
    i += 1;
  }
  return { blocks: out, changes };
}

/** A sentence end followed by white space and more text: "…落地。 在这种…". */
const RUN_TOGETHER = /(?<=[。！？…][」』”’）]*)[ \t\u3000]+(?=\S)/u;

export function splitRunTogetherParagraphs(blocks: Block[]): { blocks: Block[]; changes: number } {
  let changes = 0;
  const out = blocks.flatMap((block): Block[] => {
    if (block.kind !== "paragraph") return [block];
    const parts = block.text.split(new RegExp(RUN_TOGETHER.source, "gu")).filter((p) => p.length > 0);
    changes += parts.length - 1;
    return parts.map((text) => ({ kind: "paragraph", text }));
  });
  return { blocks: out, changes };
}

// A closing quote may end a heading ("从“能看”到“能用”"); quoted speech ends with 。 inside and is caught below.
const ENDS_LIKE_SENTENCE = /[。！？!?…；;：:，,、）)\]]$/u;

/**
 * The number that opens a section heading: 一、 1. （一） 第一部分 Part 1, in half- or
 * full-width forms. A numbered section is part of its article; it never starts a new piece.
 */
export const SECTION_NUMBER =
  /^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十\d０-９]+[)）]|[\d０-９]+\s*[.．、]|第[一二三四五六七八九十百\d０-９]+(?:部分|章|节|篇)|(?:Part|ＰＡＲＴ|Ｐａｒｔ)\s*[\d０-９IVXivx]+)\s*/iu;

/** A list item: "1. …", "- …"; a numbered line between other numbered lines is a list, not a heading. */
const isNumberedLine = (block: Block | undefined) => block !== undefined && block.kind !== "figure" && SECTION_NUMBER.test(block.text);

/** A short line between paragraphs that does not read as a sentence, e.g. "用「大模型+大算力」把深度学习的瓶颈撑开", "**一、背景**" or "1. 先弄清楚学生缺什么". */
export function headingText(blocks: Block[], i: number): string | undefined {
  const block = blocks[i];
  const before = blocks[i - 1];
  const after = blocks[i + 1];
  if (!block || block.kind === "heading" || block.kind === "figure" || (after?.kind !== "paragraph" && after?.kind !== "markdown")) return undefined;
  // Only a numbered section may open the body; a short first line is more often a lead-in.
  if (!before && !SECTION_NUMBER.test(block.text)) return undefined;
  if (before?.kind === "figure" && !before.caption) return undefined;
  // A list item reads as a heading only when it is numbered like a section and stands alone.
  if (block.kind === "markdown" && (!SECTION_NUMBER.test(block.text) || isNumberedLine(before) || isNumberedLine(after))) return undefined;
  const text = block.text.replace(/^\*\*(.+)\*\*$/u, "$1").trim();
  if (text.length < 2 || text.length > 40 || text.includes("\n")) return undefined;
  if (!/\p{Script=Han}/u.test(text) || /[。！？]/u.test(text) || ENDS_LIKE_SENTENCE.test(text) || metaFromLine(text)) return undefined;
  return text;
}

export function detectHeadings(blocks: Block[]): { blocks: Block[]; changes: number } {
  let changes = 0;
  const out = blocks.map((block, i): Block => {
    const text = headingText(blocks, i);
    if (text === undefined) return block;
    changes += 1;
    return { kind: "heading", level: 2, text };
  });
  return { blocks: out, changes };
}
