/**
 * A scrape can carry a second, unrelated piece after the article (the WAIC note after the
 * interview in seed 000). A heading starts a new piece when it is shaped like a title
 * ("WAIC AI开发者论坛：后深度学习的AI时代") and the section under it hardly talks about what
 * the article before it talks about most: each section of the interview uses 6 to 10 of the
 * interview's ten most frequent Han bigrams (智源, 张宏, 研究…), the WAIC note 2.
 */
import type { Block } from "./blocks.ts";

export interface Piece {
  /** The heading that opened the piece; the first piece takes the page title. */
  title?: string;
  blocks: Block[];
}

export interface PieceSplit {
  title: string;
  /** Share of the article's most frequent terms the new piece uses. */
  overlap: number;
}

const TOP_TERMS = 10;
/** Below this share of the article's most frequent terms a title-shaped heading opens a new piece. */
export const SPLIT_OVERLAP = 0.4;

const TITLE_SHAPE = /^[^：。]{2,}：[^：。]{2,}$/u;

function bigramCounts(blocks: Block[]): Map<string, number> {
  const text = blocks.map((b) => (b.kind === "figure" ? (b.caption ?? "") : b.text)).join("\n");
  const counts = new Map<string, number>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) counts.set(run.slice(i, i + 2), (counts.get(run.slice(i, i + 2)) ?? 0) + 1);
  }
  return counts;
}

/** Share of the ten most frequent Han bigrams of `before` that `section` uses. */
export function topicOverlap(before: Block[], section: Block[]): number {
  const top = [...bigramCounts(before)].sort((a, b) => b[1] - a[1]).slice(0, TOP_TERMS).map(([term]) => term);
  if (top.length === 0) return 1;
  const used = bigramCounts(section);
  return top.filter((term) => used.has(term)).length / top.length;
}

/** The blocks under the heading at `at`, up to the next heading. */
function sectionAfter(blocks: Block[], at: number): Block[] {
  const next = blocks.findIndex((b, i) => i > at && b.kind === "heading");
  return blocks.slice(at + 1, next < 0 ? undefined : next);
}

export function splitPieces(blocks: Block[]): { pieces: Piece[]; splits: PieceSplit[] } {
  const pieces: Piece[] = [{ blocks: [] }];
  const splits: PieceSplit[] = [];
  blocks.forEach((block, i) => {
    const current = pieces.at(-1) as Piece;
    if (block.kind === "heading" && TITLE_SHAPE.test(block.text) && current.blocks.length > 0) {
      const overlap = topicOverlap(current.blocks, sectionAfter(blocks, i));
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
