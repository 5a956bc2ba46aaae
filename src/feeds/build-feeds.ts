/**
 * The one mapper around the `feed` package: turns compiled items into an RSS 2.0, Atom 1.0
 * or JSON Feed 1.1 string, and corrects what `feed` (v6, via xml-js) gets wrong for
 * this content. Pure: same items and site in, same bytes out (no "now" anywhere).
 *
 * What needs care, and where it is handled:
 * - xml-js un-escapes "&amp;" in text before escaping it, so a literal "&amp;" would lose a
 *   level: `xmlText` pre-escapes "&" so every text node is escaped exactly once.
 * - xml-js only splits the first "]]>" of a CDATA section: `cdataHtml` writes "]]&gt;",
 *   which HTML reads as the same characters.
 * - Atom titles and summaries are written as type="html": they get HTML-escaped text, so
 *   "&" and "<" reach the reader as characters, not markup.
 * - RSS titles are plain text; `feed` would put them in CDATA (see above), so the title is
 *   written as an escaped text element instead.
 * - RSS <author> must be an e-mail address; our authors have a name only: dc:creator.
 * - Atom needs xml:lang on <feed>; `feed` has no option for it.
 * - `feed` writes JSON Feed 1.0: rewritten to 1.1 (version, language, authors).
 * - Characters XML 1.0 forbids are removed from every string before it reaches a format.
 * - Ids are normalised once (URL.href, as `feed` does for Atom) so all formats agree.
 * - RFC 5005 paging (fh:archive, prev-archive/next-archive/current links) and RSS's sy:
 *   update schedule have no option in `feed`: they are written into its output here.
 */
import { Feed, type FeedOptions, type Item } from "feed";
import type { ContentItem } from "../content/collection.ts";
import { escapeHtml as escapeMarkup } from "../text/escape-html.ts";
import { lastChange, newestChange, OffsetDate } from "./dates.ts";
import { archivePageCount, archivePath, documentItems, pageLinks, type FeedDocument, type PageLinks } from "./feed-pages.ts";
import { articlePath, feedIcons, feedPath, publication, tagPath, type FeedFormat } from "./publication.ts";

export interface FeedSite {
  /** Absolute base URL, no trailing slash (Config.siteUrl). */
  siteUrl: string;
  /** Build the feeds of one tag instead of the whole site. */
  tag?: string;
}

/** Which document of the feed, how many items a page holds, and how often it is expected to change. */
export interface FeedView {
  document: FeedDocument;
  pageSize: number;
  /** How many times a week new items are expected (the digests' sends): RSS ttl and sy:updateFrequency. */
  updatesPerWeek: number;
}

const MINUTES_PER_WEEK = 7 * 24 * 60;

/** RSS ttl: a week over the expected updates, at most a day, so no reader waits longer than that. */
const ttlMinutes = (updatesPerWeek: number) => Math.min(24 * 60, Math.round(MINUTES_PER_WEEK / Math.max(updatesPerWeek, 1)));

/** Everything outside XML 1.0's Char production (control characters, lone surrogates, U+FFFE/F). */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const clean = (text: string) => text.replace(XML_FORBIDDEN, "");

const escapeHtml = (text: string) => escapeMarkup(clean(text));

/** A text node for xml-js: it turns "&amp;" into "&" and then escapes, so "&" is pre-escaped once. */
const xmlText = (text: string) => clean(text).replace(/&/g, "&amp;");

/** HTML for a CDATA section that xml-js cannot break: no "]]>" left inside. */
const cdataHtml = (html: string) => clean(html).replace(/]]>/g, "]]&gt;");

/** The feed-format-neutral view of one item. */
interface Entry {
  id: string;
  title: string;
  url: string;
  summary: string;
  html: string;
  author: string;
  tags: string[];
  rights: string | undefined;
  published: OffsetDate;
  updated: OffsetDate;
}

/** The body plus where it came from: a reprint carries its source and rights notice with it. */
function contentHtml(item: ContentItem): string {
  const source = item.source.url
    ? `<a href="${escapeHtml(item.source.url)}">${escapeHtml(item.source.name)}</a>`
    : escapeHtml(item.source.name);
  const rights = item.rights ? `<p>${escapeHtml(item.rights)}</p>` : "";
  return `${item.html}<hr/><p>作者：${escapeHtml(item.author)} · 来源：${source}</p>${rights}`;
}

function toEntry(item: ContentItem, siteUrl: string): Entry {
  return {
    id: new URL(clean(item.id)).href,
    title: clean(item.title),
    url: `${siteUrl}${articlePath(item.slug)}`,
    summary: clean(item.summary),
    html: clean(contentHtml(item)),
    author: clean(item.author),
    tags: item.tags.map(clean),
    rights: item.rights === undefined ? undefined : clean(item.rights),
    published: new OffsetDate(item.published),
    updated: new OffsetDate(lastChange(item)),
  };
}

interface Channel {
  id: string;
  title: string;
  description: string;
  home: string;
  /** This document's own URL, per format (an archive page's, or the subscription feed's). */
  links: Record<FeedFormat, string>;
  /** RFC 5005 links of this document, per format. */
  paging: Record<FeedFormat, PageLinks>;
  archive: boolean;
  updated: OffsetDate;
  icons: { icon: string; favicon: string; rssImage: string; logo: string };
  updatesPerWeek: number;
}

function toChannel(items: readonly ContentItem[], shown: readonly ContentItem[], { siteUrl, tag }: FeedSite, view: FeedView): Channel {
  const home = `${siteUrl}${tag === undefined ? "/" : tagPath(tag)}`;
  const pages = archivePageCount(items.length, view.pageSize);
  const own = (format: FeedFormat) =>
    `${siteUrl}${view.document.kind === "archive" ? archivePath(format, view.document.page, tag) : feedPath(format, tag)}`;
  const paging = (format: FeedFormat) =>
    pageLinks(view.document, pages, (page) => `${siteUrl}${archivePath(format, page, tag)}`, `${siteUrl}${feedPath(format, tag)}`);
  return {
    // Feed ids follow the site URL: unlike item ids they name a place, not a published text.
    id: home,
    title: clean(tag === undefined ? publication.title : `${publication.title} · ${tag}`),
    description: clean(tag === undefined ? publication.description : `${publication.title}中标签为「${tag}」的文章。`),
    home,
    links: { rss: own("rss"), atom: own("atom"), json: own("json") },
    paging: { rss: paging("rss"), atom: paging("atom"), json: paging("json") },
    archive: view.document.kind === "archive",
    updated: new OffsetDate(newestChange(shown)),
    icons: {
      icon: `${siteUrl}${feedIcons.square512}`,
      favicon: `${siteUrl}${feedIcons.square64}`,
      rssImage: `${siteUrl}${feedIcons.square144}`,
      logo: `${siteUrl}${feedIcons.wide}`,
    },
    updatesPerWeek: view.updatesPerWeek,
  };
}

const HISTORY_NS = "http://purl.org/syndication/history/1.0";

/** RFC 5005 links as XML elements (`atom:link` inside RSS, `link` inside Atom), and fh:archive on an archive. */
function pagingXml(channel: Channel, format: "rss" | "atom"): string {
  const element = format === "rss" ? "atom:link" : "link";
  const { current, prevArchive, nextArchive } = channel.paging[format];
  const links = Object.entries({ current, "prev-archive": prevArchive, "next-archive": nextArchive }).flatMap(([rel, href]) =>
    href === null ? [] : [`<${element} rel="${rel}" href="${escapeHtml(href)}"/>`],
  );
  return `${channel.archive ? "<fh:archive/>" : ""}${links.join("")}`;
}

function feedOf(options: FeedOptions, items: Item[]): Feed {
  const feed = new Feed(options);
  for (const item of items) feed.addItem(item);
  return feed;
}

/** What RSS and Atom say about the channel itself (JSON Feed takes its text unescaped). */
const channelOptions = (channel: Channel): FeedOptions => ({
  id: channel.id,
  title: xmlText(channel.title),
  description: xmlText(channel.description),
  link: channel.home,
  updated: channel.updated,
  generator: false,
});

const RSS_ROOT = '<rss version="2.0"';

function rss(channel: Channel, entries: Entry[]): string {
  const options: FeedOptions = {
    ...channelOptions(channel),
    language: publication.language,
    feedLinks: { rss: channel.links.rss },
    ttl: ttlMinutes(channel.updatesPerWeek),
    image: channel.icons.rssImage,
  };
  const items = entries.map(
    (entry): Item => ({
      title: "", // written below as an escaped text element: `feed` would use CDATA
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      guid: xmlText(entry.id),
      description: escapeHtml(entry.summary),
      content: cdataHtml(entry.html),
      category: entry.tags.map((tag) => ({ name: xmlText(tag) })),
      extensions: [
        { name: "title", objects: { _text: xmlText(entry.title) } },
        { name: "dc:creator", objects: { _text: xmlText(entry.author) } },
      ],
    }),
  );
  const xml = feedOf(options, items).rss2();
  // dc: is declared by `feed` only when an item has content; every item here has.
  if (entries.length > 0 && !xml.includes('xmlns:dc="http://purl.org/dc/elements/1.1/"')) {
    throw new Error("feed no longer declares the dc: namespace: revisit build-feeds.ts");
  }
  if (!xml.includes(RSS_ROOT) || !xml.includes("<channel>") || !xml.includes('xmlns:atom="http://www.w3.org/2005/Atom"')) {
    throw new Error("feed changed its RSS root or channel: revisit build-feeds.ts");
  }
  const schedule =
    `<sy:updatePeriod>weekly</sy:updatePeriod><sy:updateFrequency>${Math.max(channel.updatesPerWeek, 1)}</sy:updateFrequency>`;
  return xml
    .replace(RSS_ROOT, `${RSS_ROOT} xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:fh="${HISTORY_NS}"`)
    .replace("<channel>", `<channel>${pagingXml(channel, "rss")}${schedule}`);
}

const ATOM_ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';

function atom(channel: Channel, entries: Entry[]): string {
  const options: FeedOptions = {
    ...channelOptions(channel),
    feedLinks: { atom: channel.links.atom },
    favicon: channel.icons.favicon,
    image: channel.icons.logo,
  };
  const items = entries.map(
    (entry): Item => ({
      title: escapeHtml(entry.title),
      id: entry.id,
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      description: escapeHtml(entry.summary),
      content: cdataHtml(entry.html),
      author: [{ name: xmlText(entry.author) }],
      // Tags are letters, digits and dashes (content schema): safe as attribute values.
      category: entry.tags.map((tag) => ({ term: tag, name: tag })),
      ...(entry.rights === undefined ? {} : { copyright: xmlText(entry.rights) }),
    }),
  );
  const xml = feedOf(options, items).atom1();
  if (!xml.includes(ATOM_ROOT)) throw new Error("feed changed its Atom root element: revisit build-feeds.ts");
  return xml.replace(
    ATOM_ROOT,
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="${HISTORY_NS}" xml:lang="${publication.language}">${pagingXml(channel, "atom")}`,
  );
}

/** The part of `feed`'s JSON Feed 1.0 output that is kept. */
interface JsonFeedV1 {
  version: string;
  items: ({ author?: unknown } & Record<string, unknown>)[];
  [key: string]: unknown;
}

function json(channel: Channel, entries: Entry[]): string {
  const options: FeedOptions = {
    id: channel.id,
    title: channel.title,
    description: channel.description,
    link: channel.home,
    // An archive page names the feed it belongs to: the subscription feed's URL is the feed's identity.
    feedLinks: { json: channel.paging.json.current ?? channel.links.json },
  };
  const items = entries.map(
    (entry): Item => ({
      title: entry.title,
      id: entry.id,
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      description: entry.summary,
      content: entry.html,
      category: entry.tags.map((tag) => ({ name: tag })),
    }),
  );
  const { version: _v1, items: v1Items, ...rest } = JSON.parse(feedOf(options, items).json1()) as JsonFeedV1;
  const older = channel.paging.json.prevArchive;
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    ...rest,
    icon: channel.icons.icon,
    favicon: channel.icons.favicon,
    language: publication.language,
    authors: [{ name: publication.title, url: channel.home }],
    // JSON Feed pages toward older items with next_url: the archive page before this one.
    ...(older ? { next_url: older } : {}),
    items: v1Items.map(({ author: _author, ...item }, i) => ({
      ...item,
      authors: [{ name: entries[i]?.author }],
      language: publication.language,
    })),
  });
}

const writers: Record<FeedFormat, (channel: Channel, entries: Entry[]) => string> = { rss, atom, json };

/**
 * One document of one format of the feed: each is built on its own, so a reader's first
 * poll builds only what it asked for. `items` is the whole collection (or tag); the view
 * says which page of it.
 */
export function buildFeed(items: readonly ContentItem[], site: FeedSite, format: FeedFormat, view: FeedView): string {
  const shown = documentItems(items, view.document, view.pageSize);
  return writers[format](
    toChannel(items, shown, site, view),
    shown.map((item) => toEntry(item, site.siteUrl)),
  );
}
