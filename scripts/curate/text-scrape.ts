/**
 * A plain-text scrape (a forum or news page copied as text): finds the title and the
 * metadata lines under it, drops the page header before the title, chrome lines inside the
 * article, and the footer after the article's end (keeping a reprint notice as `rights`).
 */
import { IMAGE_PLACEHOLDER } from "./blocks.ts";
import { chromeReason, isEndMarker, isRightsLine } from "./chrome.ts";
import { mergeMeta, metaFromLine, type PageMeta } from "./metadata.ts";
import type { Removal } from "./removal.ts";
import { SECTION_NUMBER } from "./structure.ts";

export interface Scrape {
  meta: PageMeta;
  /** Article lines, one block each. */
  body: string[];
  removed: Removal[];
  /** Short header lines that may be an author or a source: curation does not guess. */
  unsure: string[];
}

const HEADER_LINES = 40;
const HEADER_SHORT_LINE = 12;
/** How many title-like lines above the first metadata line may be the title. */
const TITLE_WINDOW = 3;
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/** A short header line that is neither a section heading nor an image placeholder nor a sentence. */
function isUnknownHeaderLine(line: string): boolean {
  const text = line.trim();
  return text.length <= HEADER_SHORT_LINE && !SECTION_NUMBER.test(text) && !IMAGE_PLACEHOLDER.test(text) && !/[。！？.!?]$/u.test(text);
}

function looksLikeTitle(line: string): boolean {
  const text = line.trim();
  return text.length >= 6 && text.length <= 80 && hasHan(text) && !chromeReason(text) && !/[。！？.!?]$/u.test(text);
}

/** The title is the line just above the first metadata line, or else the first title-like line. */
function findTitle(lines: string[]): number {
  const metaAt = lines.slice(0, HEADER_LINES).findIndex((l) => metaFromLine(l) !== undefined);
  if (metaAt > 0) {
    // The longest title-like line among the few just above: a user name ("苏苏的小本子") sits between title and date.
    const above = lines.slice(0, metaAt).flatMap((l, i) => (looksLikeTitle(l) ? [i] : [])).slice(-TITLE_WINDOW);
    const longest = above.reduce((best, i) => ((lines[i]?.trim().length ?? 0) > (lines[best]?.trim().length ?? 0) ? i : best), above.at(-1) ?? -1);
    if (longest >= 0) return longest;
  }
  return lines.slice(0, HEADER_LINES).findIndex(looksLikeTitle);
}

function joinRights(lines: string[]): string {
  return lines.map((l) => l.trim()).reduce((all, l) => (all === "" ? l : /[。！？.!?]$/u.test(all) ? `${all}${l}` : `${all}。${l}`), "");
}

export function segmentScrape(text: string): Scrape {
  const lines = text.split("\n");
  const removed: Removal[] = [];
  const drop = (i: number, reason: string) => removed.push({ line: i + 1, text: (lines[i] ?? "").trim(), reason });
  let meta: PageMeta = {};
  const unsure: string[] = [];

  const titleAt = findTitle(lines);
  let i = 0;
  if (titleAt >= 0) {
    for (; i < titleAt; i++) if (lines[i]?.trim()) drop(i, chromeReason(lines[i] ?? "") ?? "标题之前的页眉");
    meta.title = lines[titleAt]?.trim();
    drop(titleAt, "标题，写入 frontmatter");
    i = titleAt + 1;
    // The header block between the title and the first paragraph: metadata, chrome, and
    // short lines such as a bare user name, which are no article text but are not sure
    // enough to be an author (the report asks).
    for (; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (!line.trim()) continue;
      const found = metaFromLine(line);
      if (found) {
        meta = mergeMeta(meta, found);
        drop(i, "元数据，写入 frontmatter");
      } else if (chromeReason(line)) drop(i, chromeReason(line) ?? "");
      else if (isUnknownHeaderLine(line)) {
        unsure.push(line.trim());
        drop(i, "标题下的短行（不是正文；若是作者或来源，请填入 frontmatter）");
      } else break;
    }
  }

  const body: string[] = [];
  const rights: string[] = [];
  let endMarker: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.trim()) continue;
    if (endMarker === undefined && body.length > 0 && isEndMarker(line)) endMarker = line.trim();
    if (endMarker !== undefined) {
      if (isRightsLine(line)) {
        rights.push(line);
        drop(i, "转载声明，写入 frontmatter 的 rights");
      } else drop(i, chromeReason(line) ?? `页脚（“${endMarker}”及其后）`);
      continue;
    }
    const reason = chromeReason(line);
    if (reason) drop(i, reason);
    else body.push(line.trim());
  }
  if (rights.length > 0) meta.rights = joinRights(rights);
  return { meta, body, removed, unsure };
}
