/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1, for the whole site and per tag. Each feed is built
 * once per isolate and site URL (src/feeds/build-feeds.ts) and then served from memory.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { hasTag, items, itemsWithTag } from "../content/collection.ts";
import { buildFeeds } from "../feeds/build-feeds.ts";
import { newestChange } from "../feeds/dates.ts";
import { feedFiles, feedFormats, feedMediaTypes, tagPath, type FeedFormat } from "../feeds/publication.ts";
import { prepareRepresentation, RepresentationCache, type Representation } from "../http/conditional.ts";
import { respondAndRemember } from "../http/prepared-responses.ts";
import { representationKey, siteUrlOf } from "../http/site-url.ts";
import { notFoundResponse } from "../pages/not-found-page.ts";

export const feeds = new Hono<AppEnv>();

const cache = new RepresentationCache<Record<FeedFormat, Representation>>();

async function prepareFeeds(siteUrl: string, tag?: string): Promise<Record<FeedFormat, Representation>> {
  const scoped = tag === undefined ? items : itemsWithTag(tag);
  const built = buildFeeds(scoped, tag === undefined ? { siteUrl } : { siteUrl, tag });
  const lastModified = new Date(newestChange(scoped));
  const prepare = (format: FeedFormat) =>
    prepareRepresentation(built[format], `${feedMediaTypes[format]}; charset=utf-8`, lastModified);
  const [rss, atom, json] = await Promise.all([prepare("rss"), prepare("atom"), prepare("json")]);
  return { rss, atom, json };
}

for (const format of feedFormats) {
  feeds.get(`/${feedFiles[format]}`, async (c) => {
    const siteUrl = siteUrlOf(c);
    const built = await cache.get(representationKey(siteUrl, "/"), () => prepareFeeds(siteUrl));
    return respondAndRemember(c.req.raw, c.env, built[format]);
  });

  feeds.get(`/tags/:tag/${feedFiles[format]}`, async (c) => {
    const tag = c.req.param("tag");
    if (!hasTag(tag)) return notFoundResponse(`没有标签为「${tag}」的文章，因此也没有它的订阅源。`);
    const siteUrl = siteUrlOf(c);
    const built = await cache.get(representationKey(siteUrl, tagPath(tag)), () => prepareFeeds(siteUrl, tag));
    return respondAndRemember(c.req.raw, c.env, built[format]);
  });
}
