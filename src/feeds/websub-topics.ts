/**
 * WebSub topics: the feeds this Worker is the hub of (every format, the site's and each
 * tag's), their canonical URLs, the Link header that advertises the hub, and the body a
 * topic's subscribers are sent, built exactly as the feed routes serve it.
 */
import { hasTag, items } from "../content/collection.ts";
import { buildFeed, type FeedView } from "./build-feeds.ts";
import { feedFiles, feedFormats, feedMediaTypes, feedPath, hubUrl, type FeedFormat } from "./publication.ts";

export interface FeedTopic {
  format: FeedFormat;
  tag?: string;
}

export const topicUrl = (siteUrl: string, { format, tag }: FeedTopic) => `${siteUrl}${feedPath(format, tag)}`;

/** RFC 8288 Link header of a feed: its hub and its own canonical URL (WebSub 4, Discovery). */
export const websubLinkHeader = (siteUrl: string, topic: FeedTopic) =>
  `<${hubUrl(siteUrl)}>; rel="hub", <${topicUrl(siteUrl, topic)}>; rel="self"`;

const TAG_FEED = /^\/tags\/([^/]+)\/([^/]+)$/;

/**
 * The feed a topic URL names on this site, or a sentence saying why it is none of ours.
 * Percent-encoding is normalised (URL parsing), so a tag may be spelled either way.
 */
export function parseTopic(topic: string, siteUrl: string): FeedTopic | { problem: string } {
  let url: URL;
  try {
    url = new URL(topic);
  } catch {
    return { problem: "hub.topic is not an absolute URL" };
  }
  if (url.origin !== new URL(siteUrl).origin) return { problem: `hub.topic must be a feed of ${siteUrl}` };
  if (url.search !== "" || url.hash !== "") return { problem: "hub.topic must be a feed URL without a query or fragment" };
  const format = (file: string) => feedFormats.find((f) => feedFiles[f] === file);
  const siteFeed = format(url.pathname.slice(1));
  if (siteFeed) return { format: siteFeed };
  const tagFeed = TAG_FEED.exec(url.pathname);
  const tagFormat = tagFeed ? format(tagFeed[2]!) : undefined;
  if (tagFeed && tagFormat) {
    let tag: string;
    try {
      tag = decodeURIComponent(tagFeed[1]!);
    } catch {
      return { problem: "hub.topic has a malformed tag" };
    }
    if (hasTag(tag)) return { format: tagFormat, tag };
    return { problem: `hub.topic names the tag "${tag}", which no article has` };
  }
  return { problem: `hub.topic is not one of this site's feeds (${feedFormats.map((f) => feedFiles[f]).join(", ")}, or the same under /tags/<tag>/)` };
}

export interface FeedBody {
  body: string;
  contentType: string;
}

/**
 * The topic's document as the feed routes serve it (`view` is the subscription feed's,
 * src/digests/feed-updates.ts currentFeedView), built from `collection` (the live content
 * unless a test passes another).
 */
export function topicBody(siteUrl: string, { format, tag }: FeedTopic, view: FeedView, collection = items): FeedBody {
  const scoped = tag === undefined ? collection : collection.filter((item) => item.tags.includes(tag));
  return {
    body: buildFeed(scoped, tag === undefined ? { siteUrl } : { siteUrl, tag }, format, view),
    contentType: `${feedMediaTypes[format]}; charset=utf-8`,
  };
}
