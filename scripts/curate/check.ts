/**
 * `npm run curate -- --check <dir>`: curation's quality as numbers. Every fixture in <dir>
 * with a sidecar `<name>.expect.json` is curated, and a Markdown table shows, per fixture:
 * sentences kept against sentences in the source, chrome lines left, headings found, items
 * produced and metadata found, each against the sidecar's expectations. A regression shows
 * as a number (and test/node/curate-check.test.ts fails).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseHTML } from "linkedom";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { chromeReason } from "./chrome.ts";
import { curate } from "./curate.ts";
import { CurationError } from "./curation-error.ts";
import { decodeInput } from "./decode.ts";
import { comparable } from "./sentences.ts";

const SIDECAR = ".expect.json";

const expectation = z.object({
  /** The fixture, relative to the sidecar's folder (default: the sidecar's name without .expect.json). */
  file: z.string().optional(),
  items: z.number().int().positive(),
  /** The first item's facts; null when the source does not say, so curation must leave a TODO. */
  title: z.string().nullable(),
  author: z.string().nullable(),
  published: z.string().nullable(),
  source: z.string().nullable(),
  headings: z.array(z.string()),
  /** Chrome lines of the source that must not be left in the output. */
  chrome: z.array(z.string()),
  /** Sentence-shaped source lines that are not article text (a notice, a forum reply), by their start. */
  notArticle: z.array(z.string()).default([]),
});

export interface CheckRow {
  fixture: string;
  charset: string;
  sentences: { kept: number; source: number };
  /** Source sentences the output lacks (the test prints them). */
  missing: string[];
  chromeLeft: number;
  headings: { found: number; expected: number; unexpected: number };
  items: { produced: number; expected: number };
  metadata: { found: number; expected: number };
}

/** A sentence worth counting: it ends like one and carries at least six Chinese characters. */
const SENTENCE = /[^。！？!?]*[。！？!?][」』”’）)"]*/gu;
const isCounted = (s: string) => (s.match(/\p{Script=Han}/gu)?.length ?? 0) >= 6;

/** What a reader of the source sees, line by line (for a page: its text, without scripts and styles). */
function visibleLines(text: string, html: boolean): string[] {
  let visible = text;
  if (html) {
    const { document } = parseHTML(text);
    for (const el of document.querySelectorAll("script, style, noscript, head")) el.remove();
    visible = document.body?.textContent ?? "";
  }
  return visible.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
}

/**
 * The source's sentences, each as the runs of text between its spaces: a scrape runs a
 * caption's credit and the next paragraph together ("来源：智源研究院 一家成功的企业…"),
 * and curation puts them in different places.
 */
function sourceSentences(lines: string[], notArticle: string[]): string[][] {
  return lines
    .filter((line) => !notArticle.some((start) => line.startsWith(start)))
    .flatMap((line) => line.match(SENTENCE) ?? [])
    .filter(isCounted)
    .map((sentence) => sentence.split(/\s+/).map(comparable).filter((run) => run.length > 0));
}

interface ItemFm {
  title?: string;
  author?: string;
  published?: string;
  source?: { name?: string };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CurationError(`${path} 不是有效的 JSON：${(error as Error).message}`);
  }
}

function checkFixture(dir: string, sidecar: string, now: Date): CheckRow {
  const parsed = expectation.safeParse(readJson(join(dir, sidecar)));
  if (!parsed.success) throw new CurationError(`${sidecar} 不对：${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("；")}`);
  const expected = parsed.data;
  const file = join(dir, expected.file ?? basename(sidecar, SIDECAR));
  const bytes = readFileSync(file);
  const decoded = decodeInput(bytes);
  const { items } = curate(bytes, { file, slugs: [], tags: [], now });

  const all = items.map((i) => i.markdown).join("\n");
  const haystack = comparable(all);
  const sentences = sourceSentences(visibleLines(decoded.text, decoded.format === "html"), expected.notArticle);
  const bodyLines = items.flatMap((i) => i.markdown.replace(/^---\n[\s\S]*?\n---\n/, "").split("\n")).filter((l) => l.trim());
  const chromeLeft = bodyLines.filter((l) => chromeReason(l.replace(/^#+\s+/, "")) !== undefined || expected.chrome.some((c) => l.includes(c))).length;
  const headings = bodyLines.filter((l) => /^#{1,6}\s/.test(l)).map((l) => l.replace(/^#+\s+/, ""));

  const missing = sentences.filter((runs) => !runs.every((run) => haystack.includes(run))).map((runs) => runs.join(" "));
  const fm = (parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(items[0]?.markdown ?? "")?.[1] ?? "") ?? {}) as ItemFm;
  const value = (v: string | undefined) => (v === undefined || v.startsWith("TODO:") ? null : v);
  const facts: [string | null, string | undefined][] = [
    [expected.title, fm.title],
    [expected.author, fm.author],
    [expected.published, fm.published],
    [expected.source, fm.source?.name],
  ];
  return {
    fixture: basename(file),
    charset: decoded.charset,
    sentences: { kept: sentences.length - missing.length, source: sentences.length },
    missing,
    chromeLeft,
    headings: {
      found: expected.headings.filter((h) => headings.includes(h)).length,
      expected: expected.headings.length,
      unexpected: headings.filter((h) => !expected.headings.includes(h)).length,
    },
    items: { produced: items.length, expected: expected.items },
    metadata: { found: facts.filter(([want, got]) => want === value(got)).length, expected: facts.length },
  };
}

export const isClean = (row: CheckRow) =>
  row.sentences.kept === row.sentences.source &&
  row.chromeLeft === 0 &&
  row.headings.found === row.headings.expected &&
  row.headings.unexpected === 0 &&
  row.items.produced === row.items.expected &&
  row.metadata.found === row.metadata.expected;

export function checkRows(dir: string, now: Date): CheckRow[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(SIDECAR)).sort();
  } catch (error) {
    throw new CurationError(`读不了目录 ${dir}：${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (names.length === 0) throw new CurationError(`${dir} 里没有 *${SIDECAR} 说明文件`);
  return names.map((name) => checkFixture(dir, name, now));
}

export function formatTable(rows: CheckRow[]): string {
  const lines = [
    "| fixture | charset | sentences kept / in source | chrome lines left | headings found / expected (unexpected) | items produced / expected | metadata found / expected | |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.fixture} | ${r.charset} | ${r.sentences.kept} / ${r.sentences.source} | ${r.chromeLeft} | ${r.headings.found} / ${r.headings.expected} (${r.headings.unexpected}) | ${r.items.produced} / ${r.items.expected} | ${r.metadata.found} / ${r.metadata.expected} | ${isClean(r) ? "ok" : "REGRESSION"} |`,
    ),
  ];
  const sum = (f: (r: CheckRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  lines.push(
    `| **all ${rows.length}** | | ${sum((r) => r.sentences.kept)} / ${sum((r) => r.sentences.source)} | ${sum((r) => r.chromeLeft)} | ${sum((r) => r.headings.found)} / ${sum((r) => r.headings.expected)} (${sum((r) => r.headings.unexpected)}) | ${sum((r) => r.items.produced)} / ${sum((r) => r.items.expected)} | ${sum((r) => r.metadata.found)} / ${sum((r) => r.metadata.expected)} | ${rows.filter(isClean).length} ok |`,
  );
  return `${lines.join("\n")}\n`;
}

export function runCheck(dir: string, now: Date): { table: string; failures: number } {
  const rows = checkRows(dir, now);
  return { table: formatTable(rows), failures: rows.filter((r) => !isClean(r)).length };
}
