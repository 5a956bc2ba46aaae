/**
 * A plain-text scrape (a forum or news page copied as text): finds the title and the
 * metadata lines under it, drops the page header before the title, chrome lines inside the
 * article, and the footer after the article's end (keeping a reprint notice as `rights`).
 */
import { chromeReason, isEndMarker, isRightsLine } from "./chrome.ts";
import { mergeMeta, metaFromLine, type PageMeta } from "./metadata.ts";
import type { Removal } from "./removal.ts";

export interface Scrape {
  meta: PageMeta;
  /** Article lines, one block each. */
  body: string[];
  removed: Removal[];
}

const HEADER_LINES = 40;
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

function looksLikeTitle(line: string): boolean {
  const text = line.trim();
  return text.length >= 6 && text.length <= 80 && hasHan(text) && !chromeReason(text) && !/[。！？.!?]$/u.test(text);
}

/** The title is the line just above the first metadata line, or else the first title-like line. */
function findTitle(lines: string[]): number {
  const metaAt = lines.slice(0, HEADER_LINES).findIndex((l) => metaFromLine(l) !== undefined);
  if (metaAt > 0) {
    for (let i = metaAt - 1; i >= 0; i--) if (looksLikeTitle(lines[i] ?? "")) return i;
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

  const titleAt = findTitle(lines);
  let i = 0;
  if (titleAt >= 0) {
    for (; i < titleAt; i++) if (lines[i]?.trim()) drop(i, chromeReason(lines[i] ?? "") ?? "标题之前的页眉");
    meta.title = lines[titleAt]?.trim();
    drop(titleAt, "标题，写入 frontmatter");
    i = titleAt + 1;
    // Metadata and chrome between the title and the first paragraph.
    for (; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (!line.trim()) continue;
      const found = metaFromLine(line);
      if (found) {
        meta = mergeMeta(meta, found);
        drop(i, "元数据，写入 frontmatter");
      } else if (chromeReason(line)) drop(i, chromeReason(line) ?? "");
      else break;
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
      } else drop(i, chromeReason(line) ?? `页脚（「${endMarker}」及其后）`);
      continue;
    }
    const reason = chromeReason(line);
    if (reason) drop(i, reason);
    else body.push(line.trim());
  }
  if (rights.length > 0) meta.rights = joinRights(rights);
  return { meta, body, removed };
}
