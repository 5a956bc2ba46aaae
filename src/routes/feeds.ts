/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1, for the whole site and per tag, each as a
 * subscription feed of the latest items and as archive pages of the older ones (RFC
 * 5005). Each document is built on its first request, once per isolate and site URL,
 * then served from the representation store (src/http/representation-store.ts).
 */
import { html } from "hono/html";
import { hasTag, items, itemsWithTag } from "../content/collection.ts";
import { currentFeedView, updatesPerWeek } from "../digests/feed-updates.ts";
import { buildFeed, type FeedView } from "../feeds/build-feeds.ts";
import { newestChange } from "../feeds/dates.ts";
import { archivePageCount, documentItems, type FeedDocument } from "../feeds/feed-pages.ts";
import { feedFiles, feedFormats, feedMediaTypes, type FeedFormat } from "../feeds/publication.ts";
import { websubLinkHeader } from "../feeds/websub-topics.ts";
import { factory } from "../http/app-env.ts";
import { CACHE_CONTROL, prepareRepresentation, respondWith, type Representation } from "../http/conditional.ts";
import { countFeedReader, representations, storeKey } from "../http/representation-store.ts";
import { notFoundResponse, typed } from "../pages/not-found-page.ts";

export const feeds = factory.createApp();

/** An archive page never changes once written (only full pages are archives): readers and caches may keep it a month. */
const ARCHIVE_CACHE_CONTROL = "public, max-age=2592000";

function feedRepresentation(env: Env, url: string, format: FeedFormat, view: FeedView, siteUrl: string, tag?: string): Promise<Representation> {
  return representations.get(storeKey(env, url), () => {
    const scoped = tag === undefined ? items : itemsWithTag(tag);
    const feed = buildFeed(scoped, tag === undefined ? { siteUrl } : { siteUrl, tag }, format, view);
    const changed = newestChange(documentItems(scoped, view.document, view.pageSize));
    const archive = view.document.kind === "archive";
    // WebSub discovery in the HTTP headers too (the documents carry the same links); an archive page is no topic.
    const link: Record<string, string> = archive ? {} : { link: websubLinkHeader(siteUrl, tag === undefined ? { format } : { format, tag }) };
    return prepareRepresentation(feed, `${feedMediaTypes[format]}; charset=utf-8`, new Date(changed), link, archive ? ARCHIVE_CACHE_CONTROL : CACHE_CONTROL);
  });
}

/** Archive page `raw` of a collection, when it exists: a whole number from 1 to the number of full pages. */
function archiveDocument(raw: string, itemCount: number, pageSize: number): FeedDocument | null {
  const page = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : 0;
  return page >= 1 && page <= archivePageCount(itemCount, pageSize) ? { kind: "archive", page } : null;
}

for (const format of feedFormats) {
  const file = feedFiles[format];

  feeds.get(`/${file}`, async (c) => {
    const { siteUrl, feedPageSize } = c.var.config;
    const feed = await feedRepresentation(c.env, c.req.url, format, currentFeedView(feedPageSize), siteUrl);
    countFeedReader(c);
    return respondWith(c.req.raw, feed);
  });

  feeds.get(`/archive/:page/${file}`, async (c) => {
    const { siteUrl, feedPageSize } = c.var.config;
    const document = archiveDocument(c.req.param("page"), items.length, feedPageSize);
    if (!document) return notFoundResponse(html`订阅源没有第「${typed(c.req.param("page"))}」页存档。`);
    const view = { document, pageSize: feedPageSize, updatesPerWeek };
    return respondWith(c.req.raw, await feedRepresentation(c.env, c.req.url, format, view, siteUrl));
  });

  feeds.get(`/tags/:tag/${file}`, async (c) => {
    const tag = c.req.param("tag");
    if (!hasTag(tag)) return notFoundResponse(html`没有标签为「${typed(tag)}」的文章，因此也没有它的订阅源。`);
    const { siteUrl, feedPageSize } = c.var.config;
    const feed = await feedRepresentation(c.env, c.req.url, format, currentFeedView(feedPageSize), siteUrl, tag);
    countFeedReader(c);
    return respondWith(c.req.raw, feed);
  });

  feeds.get(`/tags/:tag/archive/:page/${file}`, async (c) => {
    const tag = c.req.param("tag");
    if (!hasTag(tag)) return notFoundResponse(html`没有标签为「${typed(tag)}」的文章，因此也没有它的订阅源。`);
    const { siteUrl, feedPageSize } = c.var.config;
    const document = archiveDocument(c.req.param("page"), itemsWithTag(tag).length, feedPageSize);
    if (!document) return notFoundResponse(html`标签「${typed(tag)}」的订阅源没有第「${typed(c.req.param("page"))}」页存档。`);
    const view = { document, pageSize: feedPageSize, updatesPerWeek };
    return respondWith(c.req.raw, await feedRepresentation(c.env, c.req.url, format, view, siteUrl, tag));
  });
}
