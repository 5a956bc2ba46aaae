/**
 * A scrape can carry a second, unrelated piece after the article (the WAIC note after the
 * interview in seed 000). A heading starts a new piece when it is shaped like a title
 * ("WAIC AI开发者论坛：后深度学习的AI时代") and the text under it hardly shares vocabulary
 * with the article before it: section headings of one article keep talking about the same
 * things.
 */
import type { Block } from "./blocks.ts";

export interface Piece {
  /** The heading that opened the piece; the first piece takes the page title. */
  title?: string;
  blocks: Block[];
}

export interface PieceSplit {
  title: string;
  /** Share of the new piece's Han bigrams that occur in the text before it. */
  overlap: number;
}

/** Below this share of shared vocabulary a title-shaped heading opens a new piece. */
export const SPLIT_OVERLAP = 0.5;

const TITLE_SHAPE = /^[^：。]{2,}：[^：。]{2,}$/u;

function bigrams(blocks: Block[]): Set<string> {
  const text = blocks.map((b) => (b.kind === "figure" ? (b.caption ?? "") : b.text)).join("\n");
  const found = new Set<string>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) found.add(run.slice(i, i + 2));
  }
  return found;
}

export function vocabularyOverlap(before: Block[], after: Block[]): number {
  const known = bigrams(before);
  const next = bigrams(after);
  if (next.size === 0) return 1;
  let shared = 0;
  for (const b of next) if (known.has(b)) shared++;
  return shared / next.size;
}

export function splitPieces(blocks: Block[]): { pieces: Piece[]; splits: PieceSplit[] } {
  const pieces: Piece[] = [{ blocks: [] }];
  const splits: PieceSplit[] = [];
  blocks.forEach((block, i) => {
    const current = pieces.at(-1) as Piece;
    if (block.kind === "heading" && TITLE_SHAPE.test(block.text) && current.blocks.length > 0) {
      const overlap = vocabularyOverlap(current.blocks, blocks.slice(i + 1));
      if (overlap < SPLIT_OVERLAP) {
        splits.push({ title: block.text, overlap });
        pieces.push({ title: block.text, blocks: [] });
        return;
      }
    }
    current.blocks.push(block);
  });
  return { pieces, splits };
}
