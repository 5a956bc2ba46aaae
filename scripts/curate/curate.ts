/**
 * Curation as a pure function: input bytes and options in, Markdown items and a report out.
 * The CLI (scripts/curate.ts) does the file I/O.
 */
import { parse as parseYaml } from "yaml";
import { REGISTRATION_LINE } from "../content/compile.ts";
import { cjkLatinSpacingViolations, spaceCjkLatin } from "../../src/text/cjk-spacing.ts";
import { parseBlocks, markdownGroups, renderBlocks, type Block } from "./blocks.ts";
import { chromeReason, isEndMarker } from "./chrome.ts";
import { CurationError } from "./curation-error.ts";
import { decodeInput, type DecodedInput } from "./decode.ts";
import { renderFrontmatter, type ItemFacts } from "./frontmatter.ts";
import { extractHtml } from "./html-extract.ts";
import { instantInBeijing, mergeMeta, metaFromLine, type PageMeta } from "./metadata.ts";
import { splitPieces, type Piece, type PieceSplit } from "./pieces.ts";
import { restorePunctuation } from "./punctuation.ts";
import type { Removal } from "./removal.ts";
import { RULES, type Report, type RuleId } from "./report.ts";
import { safeMarkdown } from "./safe-markdown.ts";
import { blocksPlain, compareSentences, markdownPlain, withoutParts } from "./sentences.ts";
import { CAPTION_START, captionFigures, detectHeadings, splitRunTogetherParagraphs } from "./structure.ts";
import { segmentScrape } from "./text-scrape.ts";

export interface CurateOptions {
  /** Name shown in the report; a Markdown item keeps its file name. */
  file: string;
  sourceUrl?: string;
  /** One slug per piece, in order. */
  slugs: string[];
  tags: string[];
  /** The curation time, written as each new item's `added` (injected so tests are deterministic). */
  now: Date;
  maxBytes?: number;
}

export interface CuratedItem {
  fileName: string;
  markdown: string;
  todos: string[];
}

export interface Curation {
  items: CuratedItem[];
  report: Report;
}

type Tally = Record<RuleId, number>;

function applyText(blocks: Block[], change: (text: string) => { text: string; changes: number }): { blocks: Block[]; changes: number } {
  let changes = 0;
  const run = (text: string) => {
    const result = change(text);
    changes += result.changes;
    return result.text;
  };
  const out = blocks.map((block): Block => {
    if (block.kind === "figure") return block.caption ? { ...block, caption: run(block.caption) } : block;
    return { ...block, text: run(block.text) };
  });
  return { blocks: out, changes };
}

const spacing = (text: string) => ({ text: spaceCjkLatin(text), changes: cjkLatinSpacingViolations(text).length });

/**
 * Chrome inside Markdown (what turndown made of the article, or an item's body): chrome
 * lines, and everything from an end mark or editor credit on.
 */
function dropChromeGroups(groups: string[], removed: Removal[]): string[] {
  let endMarker: string | undefined;
  return groups.filter((group, i) => {
    const text = markdownPlain(group).trim();
    if (endMarker === undefined && i > 0 && isEndMarker(text)) endMarker = text;
    // A heading the page marked up is article structure: a one-word chrome pattern ("搜索", "会员") never takes it.
    const heading = /^#{1,6}\s/.test(group.trim());
    const reason = endMarker !== undefined ? `文末（“${endMarker}”及其后）` : heading ? undefined : chromeReason(text);
    if (reason) removed.push({ text, reason });
    return !reason;
  });
}

/** "[图片]" with no caption after it says nothing a reader can see. */
function dropBarePlaceholders(blocks: Block[], removed: Removal[]): { blocks: Block[]; changes: number } {
  const kept = blocks.filter((block) => {
    const bare = block.kind === "figure" && block.placeholder === true && !block.caption;
    if (bare) removed.push({ text: "[图片]", reason: "图片占位，没有图片文件也没有说明" });
    return !bare;
  });
  // Counted with the chrome removals (the report's list), not twice.
  return { blocks: kept, changes: 0 };
}

type Step = [RuleId, (blocks: Block[]) => { blocks: Block[]; changes: number }];

/** The rules every body goes through; `rebuild` adds those that restore lost structure. */
function cleanBody(groups: string[], tally: Tally, rebuild: boolean, removed: Removal[]): Block[] {
  let blocks = parseBlocks(groups);
  const captions: Step[] = rebuild
    ? [
        ["figure-captions", captionFigures],
        ["chrome", (b) => dropBarePlaceholders(b, removed)],
      ]
    : [];
  const steps: Step[] = [
    ["punctuation", (b) => applyText(b, restorePunctuation)],
    ...captions,
    ["paragraph-split", splitRunTogetherParagraphs],
    ["headings", detectHeadings],
    ["cjk-latin-spacing", (b) => applyText(b, spacing)],
    ["safe-markdown", safeMarkdown],
  ];
  for (const [rule, step] of steps) {
    const result = step(blocks);
    blocks = result.blocks;
    tally[rule] += result.changes;
  }
  return blocks;
}

/** Metadata strings get the same punctuation and spacing rules as the body. */
function cleanMeta(meta: PageMeta, tally: Tally): PageMeta {
  const out: PageMeta = {};
  for (const [key, value] of Object.entries(meta) as [keyof PageMeta, string | undefined][]) {
    if (!value) continue;
    if (key === "sourceUrl" || key === "published" || key === "publishedDay") {
      out[key] = value;
      continue;
    }
    const punctuated = restorePunctuation(value);
    const spaced = spacing(punctuated.text);
    tally.punctuation += punctuated.changes;
    tally["cjk-latin-spacing"] += spaced.changes;
    out[key] = spaced.text;
  }
  return out;
}

/** A paragraph of article text: it says something in at least one whole sentence. */
const SUBSTANTIVE = /^.{12,}?[。！？][」』”’）]*/u;
const SUMMARY_MAX = 200;
const SUMMARY_CUT = 150;

/**
 * The first substantive paragraph (never chrome, a heading or a caption: those are gone or
 * are other blocks by now), or its first sentences when it is long, cut at a sentence end.
 */
function summaryCandidate(blocks: Block[]): string | undefined {
  // A summary is text (pages and feeds escape it): no Markdown, no references.
  const paragraph = blocks.flatMap((b) => (b.kind === "paragraph" && SUBSTANTIVE.test(b.text) && !CAPTION_START.test(b.text) ? [b.text] : []))[0];
  const first = paragraph === undefined ? undefined : markdownPlain(paragraph).trim();
  if (!first || first.length <= SUMMARY_MAX) return first;
  const sentences = first.match(/[^。！？]*[。！？][」』”’）]*/gu) ?? [];
  let summary = sentences[0] ?? first;
  for (const sentence of sentences.slice(1)) {
    if (summary.length + sentence.length > SUMMARY_CUT) break;
    summary += sentence;
  }
  return summary;
}

function beijingNow(now: Date): string {
  const added = instantInBeijing(now.getTime() / 1000);
  if (!added) throw new CurationError(`内部错误：无效的当前时间 ${String(now)}`);
  return added;
}

function newItem(piece: Piece, pageMeta: PageMeta, options: CurateOptions, index: number): CuratedItem {
  const slug = options.slugs[index];
  // A piece with its own byline or source block takes nothing else from the page: no guess.
  const meta = piece.meta ?? pageMeta;
  const facts: ItemFacts = {
    ...meta,
    title: piece.title ?? meta.title,
    ...(slug ? { slug } : {}),
    summary: summaryCandidate(piece.blocks),
    sourceUrl: options.sourceUrl ?? meta.sourceUrl,
    added: beijingNow(options.now),
    tags: options.tags,
    figures: piece.blocks.flatMap((b) => (b.kind === "figure" ? [{ file: b.file, caption: b.caption }] : [])),
  };
  const { yaml, todos } = renderFrontmatter(facts);
  const fileName = slug ? `${slug}.md` : `todo-${(meta.published ?? meta.publishedDay ?? "undated").slice(0, 10)}-${index + 1}.md`;
  return { fileName, markdown: `${yaml}\n${renderBlocks(piece.blocks)}`, todos };
}

const emptyTally = (): Tally => Object.fromEntries(Object.keys(RULES).map((id) => [id, 0])) as Tally;

/** A short line asking to register ("立即报名", a QR code); a long paragraph that mentions 报名 is news, not a call. */
const isRegistrationCall = (text: string) => text.length <= 40 && /报名|二维码/.test(text);

/**
 * The paragraph that starts a piece's closing registration call ("识别下方二维码，立即报名。"
 * and its QR code), if it ends with one. Curation does not mark it: the content build accepts
 * the REGISTRATION_LINE only in kind: event items, and an event needs times and a
 * zone that only a person can supply; so the report tells the person where the line goes.
 */
function trailingRegistrationCall(blocks: Block[]): string | undefined {
  let call: string | undefined;
  for (const block of [...blocks].reverse()) {
    if (block.kind === "figure") continue;
    if (block.kind !== "paragraph" || !isRegistrationCall(block.text)) break;
    call = block.text;
  }
  return call;
}

function reportChecks(items: CuratedItem[], pieces: Piece[], splits: PieceSplit[], blocks: Block[]): string[] {
  const checks: string[] = [];
  items.forEach((item, i) => {
    if (item.todos.length > 0) checks.push(`${item.fileName}：补上 frontmatter 里的 TODO（${item.todos.join("、")}）`);
    if (i > 0 && !pieces[i]?.meta) checks.push(`${item.fileName}：作者、来源、时间和转载声明沿用第 1 篇，请核对`);
    const call = trailingRegistrationCall(pieces[i]?.blocks ?? []);
    if (call) checks.push(`${item.fileName}：结尾“${call}”是报名信息；若这是活动，把 kind 改成 event、补上 event（时间、时区），并在这句前加一行 ${REGISTRATION_LINE}`);
  });
  for (const split of splits) checks.push(`“${split.title}”拆成了单独一篇，因为${split.evidence}：确认它不是前文的小标题`);
  checks.push("summary 取自第一段：请确认或改写");
  const figures = blocks.filter((b) => b.kind === "figure");
  if (figures.length > 0) checks.push(`${figures.length} 张配图只有文件名，网站上只显示说明：${figures.map((f) => (f.kind === "figure" ? f.file : "")).join("、")}`);
  const titles = new Set(splits.map((s) => s.title));
  const headings = blocks.flatMap((b) => (b.kind === "heading" && !titles.has(b.text) ? [b.text] : []));
  if (headings.length > 0) checks.push(`小标题（${headings.length} 个）是否都对：${headings.join(" / ")}`);
  return checks;
}

function curateItem(decoded: DecodedInput, options: CurateOptions, tally: Tally, removed: Removal[]) {
  const [frontmatter = ""] = /^---\n[\s\S]*?\n---\n/.exec(decoded.text) ?? [];
  const body = decoded.text.slice(frontmatter.length);
  const blocks = cleanBody(dropChromeGroups(markdownGroups(body), removed), tally, false, removed);
  const data = parseYaml(frontmatter.slice(4, -4)) as { slug?: unknown; title?: unknown } | null;
  const fileName = options.file.split("/").at(-1) ?? `${String(data?.slug)}.md`;
  const item: CuratedItem = { fileName, markdown: `${frontmatter}\n${renderBlocks(blocks)}`, todos: [] };
  const pieces: Piece[] = [{ blocks }];
  return { items: [item], title: String(data?.title ?? ""), input: body, pieces, splits: [] as PieceSplit[], blocks, unsure: [] as string[] };
}

/**
 * Metadata lines at the top of the body ("文｜李然" under a 36氪 title): read into the
 * metadata and removed, up to the first paragraph of article text.
 */
function takeLeadingMeta(groups: string[], removed: Removal[]): { groups: string[]; meta: PageMeta } {
  let meta: PageMeta = {};
  const start = groups.findIndex((g) => SUBSTANTIVE.test(g));
  const kept = groups.filter((group, i) => {
    const found = i < start ? metaFromLine(group) : undefined;
    if (!found) return true;
    meta = mergeMeta(meta, found);
    removed.push({ text: group.trim(), reason: "元数据，写入 frontmatter" });
    return false;
  });
  return { groups: kept, meta };
}

function curatePage(decoded: DecodedInput, options: CurateOptions, tally: Tally, removed: Removal[]) {
  const html = decoded.format === "html";
  const page = html ? extractHtml(decoded.text) : undefined;
  const scrape = html ? undefined : segmentScrape(decoded.text);
  const extracted = page ?? scrape;
  if (!extracted) throw new CurationError("内部错误：没有解析结果");
  removed.push(...extracted.removed);
  const inside: Removal[] = [];
  const leading = takeLeadingMeta(page ? dropChromeGroups(markdownGroups(page.markdown), inside) : (scrape?.body ?? []), inside);
  const groups = leading.groups;
  removed.push(...inside);
  if (!groups.some((g) => /\p{Script=Han}|[A-Za-z]{3}/u.test(g))) throw new CurationError("没有找到正文");

  const blocks = cleanBody(groups, tally, true, removed);
  // Only scrapes run pieces together; a page's markup already separates them.
  const { pieces, splits } = html ? { pieces: [{ blocks }] as Piece[], splits: [] as PieceSplit[] } : splitPieces(blocks);
  const splitMeta = splits.flatMap((s) => (s.metaLine ? [s.metaLine] : []));
  const separators = splits.flatMap((s) => (s.separator ? [s.separator] : []));
  for (const line of splitMeta) removed.push({ text: line, reason: "另一篇的元数据，写入它的 frontmatter" });
  for (const line of separators) removed.push({ text: line, reason: "两篇之间的分隔线" });
  const input = page ? withoutParts(page.text, inside.map((r) => r.text)) : withoutParts(blocksPlain(parseBlocks(groups)), [...splitMeta, ...separators]);
  tally.pieces += splits.length;
  const found = mergeMeta(extracted.meta, leading.meta);
  tally.metadata += Object.keys(found).length;
  const meta = cleanMeta(found, tally);
  const items = pieces.map((piece, i) => newItem(piece.meta ? { ...piece, meta: cleanMeta(piece.meta, tally) } : piece, meta, options, i));
  return { items, title: meta.title ?? "", input, pieces, splits, blocks, unsure: scrape?.unsure ?? [] };
}

export function curate(bytes: Uint8Array, options: CurateOptions): Curation {
  const decoded = decodeInput(bytes, options.maxBytes);
  const tally = emptyTally();
  const removed: Removal[] = [];
  const result = decoded.format === "markdown" ? curateItem(decoded, options, tally, removed) : curatePage(decoded, options, tally, removed);
  tally.chrome += removed.filter((r) => !r.reason.includes("frontmatter")).length;

  const output = result.pieces.map((p) => `${p.title ?? ""}\n${blocksPlain(p.blocks)}`).join("\n");
  const sentences = compareSentences(result.input, output);
  const report: Report = {
    file: options.file,
    format: decoded.format,
    charset: decoded.charset,
    bytes: bytes.length,
    items: result.items.map((item, i) => ({ file: item.fileName, title: result.pieces[i]?.title ?? result.title, todos: item.todos })),
    sentences,
    removed,
    rules: tally,
    checks: decoded.format === "markdown" ? [] : reportChecks(result.items, result.pieces, result.splits, result.blocks),
  };
  for (const line of result.unsure) report.checks.push(`标题下的“${line}”没有当作作者或来源：若是，填进 frontmatter`);
  if (sentences.missing.length > 0 || sentences.added.length > 0) {
    report.checks.unshift(`句子不一致：缺少 ${sentences.missing.length} 句，多出 ${sentences.added.length} 句（见上）`);
  }
  return { items: result.items, report };
}
