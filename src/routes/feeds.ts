/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1, for the whole site and per tag. The three formats
 * of a feed are built together once per isolate and site URL, then served from the
 * representation store (src/http/representation-store.ts).
 */
import { hasTag, items, itemsWithTag } from "../content/collection.ts";
import { buildFeeds } from "../feeds/build-feeds.ts";
import { newestChange } from "../feeds/dates.ts";
import { feedFiles, feedFormats, feedMediaTypes, type FeedFormat } from "../feeds/publication.ts";
import { factory } from "../http/app-env.ts";
import { prepareRepresentation, respondWith, type Representation } from "../http/conditional.ts";
import { representations, storeKey } from "../http/representation-store.ts";
import { notFoundResponse } from "../pages/not-found-page.ts";

export const feeds = factory.createApp();

async function prepareFeeds(siteUrl: string, tag?: string): Promise<Record<FeedFormat, Representation>> {
  const scoped = tag === undefined ? items : itemsWithTag(tag);
  const built = buildFeeds(scoped, tag === undefined ? { siteUrl } : { siteUrl, tag });
  const lastModified = new Date(newestChange(scoped));
  const prepare = (format: FeedFormat) =>
    prepareRepresentation(built[format], `${feedMediaTypes[format]}; charset=utf-8`, lastModified);
  const [rss, atom, json] = await Promise.all([prepare("rss"), prepare("atom"), prepare("json")]);
  return { rss, atom, json };
}

/** The feed in `format`; its sibling formats (same directory, their own file names) are kept as well. */
function feedRepresentation(env: Env, url: string, format: FeedFormat, siteUrl: string, tag?: string): Promise<Representation> {
  const key = storeKey(env, url);
  const directory = key.slice(0, key.length - feedFiles[format].length);
  return representations.get(key, async () => {
    const built = await prepareFeeds(siteUrl, tag);
    for (const other of feedFormats) if (other !== format) representations.offer(`${directory}${feedFiles[other]}`, built[other]);
    return built[format];
  });
}

for (const format of feedFormats) {
  feeds.get(`/${feedFiles[format]}`, async (c) => {
    const feed = await feedRepresentation(c.env, c.req.url, format, c.var.config.siteUrl);
    return respondWith(c.req.raw, feed);
  });

  feeds.get(`/tags/:tag/${feedFiles[format]}`, async (c) => {
    const tag = c.req.param("tag");
    if (!hasTag(tag)) return notFoundResponse(`没有标签为「${tag}」的文章，因此也没有它的订阅源。`);
    const feed = await feedRepresentation(c.env, c.req.url, format, c.var.config.siteUrl, tag);
    return respondWith(c.req.raw, feed);
  });
}
