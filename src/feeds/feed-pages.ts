/**
 * Paged feeds (RFC 5005, "Feed Paging and Archiving"): a subscription feed carries the
 * latest items, and the older ones live in archive documents that never change once
 * written. Items are numbered in the order they joined the collection (`added`), oldest
 * first, and archive page k holds numbers (k-1)·size+1 … k·size: only full pages are
 * archives, so adding an item never changes a page's items or its URL. Pure.
 */
import type { ContentItem } from "../content/collection.ts";
import { feedFiles, tagPath, type FeedFormat } from "./publication.ts";

/** Which document of a feed: the subscription feed, or archive page `page` (1 is the oldest). */
export type FeedDocument = { kind: "current" } | { kind: "archive"; page: number };

export const CURRENT: FeedDocument = { kind: "current" };

/** Items in the order they joined the collection (then by slug, for a stable order). */
function joinOrder(items: readonly ContentItem[]): ContentItem[] {
  return [...items].sort((a, b) => Date.parse(a.added) - Date.parse(b.added) || a.slug.localeCompare(b.slug));
}

/** How many archive pages there are: full pages only. */
export const archivePageCount = (itemCount: number, pageSize: number): number => Math.floor(itemCount / pageSize);

/**
 * The items of one document, in the collection's own order (newest first): the latest
 * `pageSize` for the subscription feed, the page's share of the join order for an archive.
 */
export function documentItems(items: readonly ContentItem[], document: FeedDocument, pageSize: number): ContentItem[] {
  const ordered = joinOrder(items);
  const chosen = new Set(
    document.kind === "current"
      ? ordered.slice(-pageSize)
      : ordered.slice((document.page - 1) * pageSize, document.page * pageSize),
  );
  return items.filter((item) => chosen.has(item));
}

/** Path of archive page `page` of a format's feed (of the site, or of one tag). */
export const archivePath = (format: FeedFormat, page: number, tag?: string): string =>
  `${tag === undefined ? "" : tagPath(tag)}/archive/${page}/${feedFiles[format]}`;

/** RFC 5005 links of a document: the subscription feed (`current`) and its archive neighbours. */
export interface PageLinks {
  current: string | null;
  prevArchive: string | null;
  nextArchive: string | null;
}

export function pageLinks(document: FeedDocument, pages: number, url: (page: number) => string, currentUrl: string): PageLinks {
  if (document.kind === "current") return { current: null, prevArchive: pages > 0 ? url(pages) : null, nextArchive: null };
  const { page } = document;
  return {
    current: currentUrl,
    prevArchive: page > 1 ? url(page - 1) : null,
    nextArchive: page < pages ? url(page + 1) : null,
  };
}
