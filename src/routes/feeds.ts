/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1, for the whole site and per tag. Each feed is built
 * on its first request, once per isolate and site URL, then served from the
 * representation store (src/http/representation-store.ts).
 */
import { hasTag, items, itemsWithTag } from "../content/collection.ts";
import { buildFeed } from "../feeds/build-feeds.ts";
import { newestChange } from "../feeds/dates.ts";
import { feedFiles, feedFormats, feedMediaTypes, type FeedFormat } from "../feeds/publication.ts";
import { websubLinkHeader } from "../feeds/websub-topics.ts";
import { factory } from "../http/app-env.ts";
import { prepareRepresentation, respondWith, type Representation } from "../http/conditional.ts";
import { countFeedReader, representations, storeKey } from "../http/representation-store.ts";
import { notFoundResponse } from "../pages/not-found-page.ts";

export const feeds = factory.createApp();

function feedRepresentation(env: Env, url: string, format: FeedFormat, siteUrl: string, tag?: string): Promise<Representation> {
  return representations.get(storeKey(env, url), () => {
    const scoped = tag === undefined ? items : itemsWithTag(tag);
    const feed = buildFeed(scoped, tag === undefined ? { siteUrl } : { siteUrl, tag }, format);
    // WebSub discovery in the HTTP headers too (the documents carry the same links).
    const link = websubLinkHeader(siteUrl, tag === undefined ? { format } : { format, tag });
    return prepareRepresentation(feed, `${feedMediaTypes[format]}; charset=utf-8`, new Date(newestChange(scoped)), { link });
  });
}

for (const format of feedFormats) {
  feeds.get(`/${feedFiles[format]}`, async (c) => {
    const feed = await feedRepresentation(c.env, c.req.url, format, c.var.config.siteUrl);
    countFeedReader(c);
    return respondWith(c.req.raw, feed);
  });

  feeds.get(`/tags/:tag/${feedFiles[format]}`, async (c) => {
    const tag = c.req.param("tag");
    if (!hasTag(tag)) return notFoundResponse(`没有标签为「${tag}」的文章，因此也没有它的订阅源。`);
    const feed = await feedRepresentation(c.env, c.req.url, format, c.var.config.siteUrl, tag);
    countFeedReader(c);
    return respondWith(c.req.raw, feed);
  });
}
