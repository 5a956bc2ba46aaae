/**
 * Rules that rebuild the structure a scrape lost: figure captions, paragraphs that were run
 * together, and headings that became plain lines. Each returns how many changes it made.
 */
import type { Block } from "./blocks.ts";

/** A photo credit closes a caption: "…加速服务。来源：智源研究院", "…（记者 李明 摄）". */
const CREDIT = /(?:来源|图源|图片来源|供图|摄影)\s*[：:]\s*\S+|[（(][^（）()\n]{1,20}摄[）)]/u;
/** Caption openings: "图1：", "图为", "▲". */
const CAPTION_START = /^(?:图\s*\d*\s*[：:.、|｜]|图为|[▲△])/u;

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

/** A short line between paragraphs that does not read as a sentence, e.g. "用「大模型+大算力」把深度学习的瓶颈撑开" or "**一、背景**". */
export function headingText(blocks: Block[], i: number): string | undefined {
  const block = blocks[i];
  const before = blocks[i - 1];
  const after = blocks[i + 1];
  if (block?.kind !== "paragraph" || !before || (after?.kind !== "paragraph" && after?.kind !== "markdown")) return undefined;
  if (before.kind === "figure" && !before.caption) return undefined;
  const text = block.text.replace(/^\*\*(.+)\*\*$/u, "$1").trim();
  if (text.length < 4 || text.length > 40 || text.includes("\n")) return undefined;
  if (!/\p{Script=Han}/u.test(text) || /[。！？]/u.test(text) || ENDS_LIKE_SENTENCE.test(text)) return undefined;
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
