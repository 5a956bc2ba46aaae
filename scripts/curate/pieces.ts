/**
 * A scrape can carry a second, unrelated piece after the article (the WAIC note after the
 * interview in seed 000). A heading opens a new piece only on strong evidence:
 *   - a byline, date or source block of its own right under it ("2023年05月10日 来源：…");
 *   - an explicit separator right above it ("———", "* * *"), with a change of topic;
 *   - a body that opens with its own date ("7月8日—10日，…"), with a change of topic.
 * A change of topic: the section under the heading uses under 40% of the ten most frequent
 * Han bigrams of the article before it (each section of the seed's interview uses 6 to 10
 * of them: 智源, 张宏, 研究…; the WAIC note 2). A numbered section (一、 1. （一） 第一部分
 * Part 1) never opens a piece, and neither does a heading alone, of any level.
 */
import type { Block } from "./blocks.ts";
import { metaFromLine, type PageMeta } from "./metadata.ts";
import { SECTION_NUMBER } from "./structure.ts";

export interface Piece {
  /** The heading that opened the piece; the first piece takes the page title. */
  title?: string;
  /** The piece's own byline, date or source, when it has one. */
  meta?: PageMeta;
  blocks: Block[];
}

export interface PieceSplit {
  title: string;
  /** Why it is a piece of its own, quoting the evidence. */
  evidence: string;
  /** The line read as the piece's metadata (removed from its body). */
  metaLine?: string;
  /** The separator line that announced the piece (in neither piece). */
  separator?: string;
}

const TOP_TERMS = 10;
/** Below this share of the article's most frequent terms a section is on another topic. */
const SPLIT_OVERLAP = 0.4;

const SEPARATOR = /^(?:[-*_=—─━·•]\s*){3,}$/u;
/** A body that opens with a date: "7月8日—10日，", "2023年5月12日，", "5月12日电". */
const DATELINE = /^(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*[—–-]\s*\d{1,2}\s*日)?/u;

function bigramCounts(blocks: Block[]): Map<string, number> {
  const text = blocks.map((b) => (b.kind === "figure" ? (b.caption ?? "") : b.text)).join("\n");
  const counts = new Map<string, number>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) counts.set(run.slice(i, i + 2), (counts.get(run.slice(i, i + 2)) ?? 0) + 1);
  }
  return counts;
}

/** Share of the ten most frequent Han bigrams of `before` that `section` uses. */
function topicOverlap(before: Block[], section: Block[]): number {
  const top = [...bigramCounts(before)].sort((a, b) => b[1] - a[1]).slice(0, TOP_TERMS).map(([term]) => term);
  if (top.length === 0) return 1;
  const used = bigramCounts(section);
  return top.filter((term) => used.has(term)).length / top.length;
}

/** The blocks under the heading at `at`, up to the next heading. */
function sectionAfter(blocks: Block[], at: number): Block[] {
  const next = blocks.findIndex((b, i) => i > at && b.kind === "heading" && !metaFromLine(b.text));
  return blocks.slice(at + 1, next < 0 ? undefined : next);
}

const textOf = (block: Block | undefined) => (block && block.kind !== "figure" ? block.text.trim() : "");
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Why the heading at `at` opens a new piece, or undefined when the evidence is not strong. */
function splitEvidence(blocks: Block[], at: number, before: Block[]): Omit<PieceSplit, "title"> | undefined {
  const heading = blocks[at];
  if (heading?.kind !== "heading" || heading.text.length < 6 || SECTION_NUMBER.test(heading.text) || before.length === 0) return undefined;
  const next = textOf(blocks[at + 1]);
  if (metaFromLine(next)) return { evidence: `标题下有自己的署名、日期或来源“${next}”`, metaLine: next };
  const overlap = topicOverlap(before, sectionAfter(blocks, at));
  if (overlap >= SPLIT_OVERLAP) return undefined;
  const topic = `，且话题与前文不同（只用到前文 ${percent(overlap)} 的高频词）`;
  const above = textOf(blocks[at - 1]);
  if (SEPARATOR.test(above)) return { evidence: `标题前有分隔线“${above}”${topic}`, separator: above };
  const dateline = DATELINE.exec(next)?.[0];
  if (dateline) return { evidence: `正文以自己的日期“${dateline}”开头${topic}` };
  return undefined;
}

export function splitPieces(blocks: Block[]): { pieces: Piece[]; splits: PieceSplit[] } {
  const pieces: Piece[] = [{ blocks: [] }];
  const splits: PieceSplit[] = [];
  let skip = -1;
  blocks.forEach((block, i) => {
    if (i === skip) return;
    const current = pieces.at(-1) as Piece;
    const found = splitEvidence(blocks, i, current.blocks);
    if (found && block.kind === "heading") {
      if (found.separator) current.blocks.pop();
      splits.push({ title: block.text, ...found });
      pieces.push({ title: block.text, blocks: [], ...(found.metaLine ? { meta: metaFromLine(found.metaLine) } : {}) });
      if (found.metaLine) skip = i + 1;
      return;
    }
    current.blocks.push(block);
  });
  return { pieces, splits };
}
