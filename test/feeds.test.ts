/**
 * The feeds as a reader's client sees them: fetched from the real routes, parsed back with
 * a real XML parser (or JSON.parse), checked for items, ids, dates, language, links and the
 * full Chinese text; plus the conditional-request, HEAD, 404 and SITE_URL behaviour.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { items, type ContentItem } from "../src/content/collection.ts";
import { DEEP_SENTENCE, event, interview } from "./helpers/seed-items.ts";
import { buildFeed } from "../src/feeds/build-feeds.ts";
import { newestChange } from "../src/feeds/dates.ts";
import { feedFormats, type FeedFormat } from "../src/feeds/publication.ts";
import { representations, storeKey } from "../src/http/representation-store.ts";

const ORIGIN = "http://example.com";
const get = (path: string, init?: RequestInit) => exports.default.fetch(`${ORIGIN}${path}`, init);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  isArray: (_name, jpath) =>
    [
      "rss.channel.item",
      "rss.channel.item.category",
      "rss.channel.atom:link",
      "feed.link",
      "feed.entry",
      "feed.entry.link",
      "feed.entry.category",
      "feed.entry.author",
    ].includes(String(jpath)),
});

interface Rss {
  rss: {
    channel: {
      title: string;
      link: string;
      language: string;
      lastBuildDate: string;
      "atom:link": { "@href": string; "@rel": string }[];
      item: {
        title: string;
        link: string;
        guid: { "#text": string; "@isPermaLink": string };
        pubDate: string;
        description: string;
        "content:encoded": string;
        "dc:creator": string;
        category: string[];
        author?: unknown;
      }[];
    };
  };
}

interface Atom {
  feed: {
    "@xml:lang": string;
    id: string;
    title: string;
    updated: string;
    link: { "@rel": string; "@href": string }[];
    entry: {
      id: string;
      title: { "#text": string; "@type": string };
      link: { "@href": string }[];
      updated: string;
      published: string;
      summary: { "#text": string; "@type": string };
      content: { "#text": string; "@type": string };
      author: { name: string }[];
      category: { "@term": string }[];
    }[];
  };
}

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  language: string;
  items: {
    id: string;
    url: string;
    title: string;
    summary: string;
    content_html: string;
    date_published: string;
    date_modified: string;
    tags: string[];
    authors: { name: string }[];
  }[];
}

const parseRss = (xml: string) => parser.parse(xml) as Rss;
const parseAtom = (xml: string) => parser.parse(xml) as Atom;

/** What a reader shows for Atom's type="html" text: entities decoded. */
const decodeHtml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");

const PUBLISHED = Date.parse("2021-10-18T17:39:41+08:00");
/** The last item to enter the collection: a feed changes when an item is added, whenever its source published it. */
const LAST_ADDED = "2026-11-29T09:58:45+08:00";
const HEADING = "科学 ≠ 技术，量化容易导致短期行为，让研究人员无心聚焦真正有价值的问题";

async function fetchAll(path = "", fetcher: (path: string) => Promise<Response> = get) {
  const [rss, atom, json] = await Promise.all(
    ["rss.xml", "atom.xml", "feed.json"].map(async (file) => {
      const res = await fetcher(`${path}/${file}`);
      expect(res.status, `${path}/${file}`).toBe(200);
      return res.text();
    }),
  );
  return { rss: parseRss(rss ?? ""), atom: parseAtom(atom ?? ""), json: JSON.parse(json ?? "") as JsonFeed };
}

describe("site feeds", () => {
  it("are served with their media types in UTF-8", async () => {
    for (const [path, type] of [
      ["/rss.xml", "application/rss+xml; charset=utf-8"],
      ["/atom.xml", "application/atom+xml; charset=utf-8"],
      ["/feed.json", "application/feed+json; charset=utf-8"],
    ] as const) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
      await res.arrayBuffer();
    }
  });

  it("RSS: every item in full, with permanent guid, author, categories, RFC 822 dates and a self link", async () => {
    const { rss } = await fetchAll();
    const channel = rss.rss.channel;
    expect(channel.language).toBe("zh-CN");
    expect(channel.link).toBe(`${ORIGIN}/`);
    expect(channel["atom:link"]).toContainEqual(expect.objectContaining({ "@rel": "self", "@href": `${ORIGIN}/rss.xml` }));
    expect(Date.parse(channel.lastBuildDate)).toBe(Date.parse(LAST_ADDED));
    expect(channel.item.map((i) => i.link)).toEqual(items.map((i) => `${ORIGIN}/articles/${i.slug}`));

    const item = channel.item.find((i) => i.link.endsWith(`/articles/${interview.slug}`));
    expect(item?.title).toBe(interview.title);
    expect(item?.guid).toEqual({ "#text": interview.id, "@isPermaLink": "false" });
    expect(item?.pubDate).toBe("Mon, 18 Oct 2021 17:39:41 +0800");
    expect(Date.parse(item?.pubDate ?? "")).toBe(PUBLISHED);
    expect(item?.["dc:creator"]).toBe("闻菲");
    expect(item?.author).toBeUndefined();
    expect(item?.category).toEqual(interview.tags);
    expect(decodeHtml(item?.description ?? "")).toBe(interview.summary);
    expect(item?.["content:encoded"]).toContain(DEEP_SENTENCE);
    expect(item?.["content:encoded"]).toContain(`<h2>${HEADING}</h2>`);
    expect(item?.["content:encoded"]).toContain(interview.rights);
    expect(item?.["content:encoded"]).not.toContain("<img");
  });

  it("Atom: xml:lang, self link, and entries with id, author, html content and +08:00 dates", async () => {
    const { atom } = await fetchAll();
    const feed = atom.feed;
    expect(feed["@xml:lang"]).toBe("zh-CN");
    expect(feed.title).toBe("AI 前沿精选");
    expect(feed.updated).toBe(LAST_ADDED);
    expect(feed.link).toContainEqual({ "@rel": "self", "@href": `${ORIGIN}/atom.xml` });
    expect(feed.link).toContainEqual({ "@rel": "alternate", "@href": `${ORIGIN}/` });
    expect(feed.entry).toHaveLength(items.length);

    for (const entry of feed.entry) {
      expect(entry.author).toEqual([{ name: "闻菲" }]);
      expect(entry.content["@type"]).toBe("html");
      expect(entry.published).toBe("2021-10-18T17:39:41+08:00");
      expect(Date.parse(entry.updated)).toBe(PUBLISHED);
    }
    const entry = feed.entry.find((e) => e.id === interview.id);
    expect(entry?.link).toEqual([{ "@href": `${ORIGIN}/articles/${interview.slug}` }]);
    expect(decodeHtml(entry?.title["#text"] ?? "")).toBe(interview.title);
    expect(decodeHtml(entry?.summary["#text"] ?? "")).toBe(interview.summary);
    expect(entry?.content["#text"]).toContain(DEEP_SENTENCE);
    expect(entry?.category.map((c) => c["@term"])).toEqual(interview.tags);
  });

  it("JSON Feed 1.1: language, authors, full html and summary", async () => {
    const { json } = await fetchAll();
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.language).toBe("zh-CN");
    expect(json.feed_url).toBe(`${ORIGIN}/feed.json`);
    expect(json.home_page_url).toBe(`${ORIGIN}/`);
    const item = json.items.find((i) => i.id === interview.id);
    expect(item).toMatchObject({
      url: `${ORIGIN}/articles/${interview.slug}`,
      title: interview.title,
      summary: interview.summary,
      date_published: "2021-10-18T17:39:41+08:00",
      tags: interview.tags,
      authors: [{ name: "闻菲" }],
    });
    expect(item?.content_html).toContain(DEEP_SENTENCE);
    expect(Object.keys(item ?? {})).not.toContain("author");
  });

  it("uses each item's frontmatter id, identical in all three formats", async () => {
    const { rss, atom, json } = await fetchAll();
    const expected = items.map((i) => i.id);
    expect(expected).toEqual([interview.id, event.id]);
    expect(rss.rss.channel.item.map((i) => i.guid["#text"])).toEqual(expected);
    expect(atom.feed.entry.map((e) => e.id)).toEqual(expected);
    expect(json.items.map((i) => i.id)).toEqual(expected);
  });

  it("builds absolute links from SITE_URL, keeping ids unchanged", async () => {
    const siteEnv = { ...env, SITE_URL: "https://news.example.com/" };
    const fetchWithSiteUrl = async (path: string) => app.fetch(new Request(`${ORIGIN}${path}`), siteEnv);
    const { rss, atom, json } = await fetchAll("", fetchWithSiteUrl);
    expect(rss.rss.channel["atom:link"][0]?.["@href"]).toBe("https://news.example.com/rss.xml");
    expect(rss.rss.channel.item[0]?.link).toBe(`https://news.example.com/articles/${interview.slug}`);
    expect(atom.feed.link).toContainEqual({ "@rel": "self", "@href": "https://news.example.com/atom.xml" });
    expect(atom.feed.entry[0]?.link[0]?.["@href"]).toBe(`https://news.example.com/articles/${interview.slug}`);
    expect(json.feed_url).toBe("https://news.example.com/feed.json");
    expect(json.items[0]?.url).toBe(`https://news.example.com/articles/${interview.slug}`);
    expect(json.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
  });
});

describe("tag feeds", () => {
  const tag = "悟道";
  const path = `/tags/${encodeURIComponent(tag)}`;

  it("hold only the items with that tag, with the tag feed's own self links", async () => {
    const { rss, atom, json } = await fetchAll(path);
    expect(rss.rss.channel.item.map((i) => i.guid["#text"])).toEqual([interview.id]);
    expect(rss.rss.channel["atom:link"][0]?.["@href"]).toBe(`${ORIGIN}${path}/rss.xml`);
    expect(rss.rss.channel.title).toContain(tag);
    expect(atom.feed.entry.map((e) => e.id)).toEqual([interview.id]);
    expect(atom.feed.link).toContainEqual({ "@rel": "self", "@href": `${ORIGIN}${path}/atom.xml` });
    expect(json.items.map((i) => i.id)).toEqual([interview.id]);
    expect(json.feed_url).toBe(`${ORIGIN}${path}/feed.json`);
  });

  it("exist for every tag", async () => {
    const tags = [...new Set(items.flatMap((i) => i.tags))];
    for (const t of tags) {
      const res = await get(`/tags/${encodeURIComponent(t)}/atom.xml`);
      expect(res.status, t).toBe(200);
      const entries = parseAtom(await res.text()).feed.entry.map((e) => e.id);
      expect(entries).toEqual(items.filter((i) => i.tags.includes(t)).map((i) => i.id));
    }
  });

  it("answer 404 for a tag no item has", async () => {
    for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
      const res = await get(`/tags/no-such-tag/${file}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await res.text()).toContain("no-such-tag");
    }
  });
});

describe("conditional requests and HEAD", () => {
  it("sends a strong ETag and, as Last-Modified, the newest of the items' published, updated and added times", async () => {
    const res = await get("/atom.xml");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    // Both items were published in 2021 and added on 2026-11-29: the addition is what changed the feed.
    expect(res.headers.get("last-modified")).toBe("Sun, 29 Nov 2026 01:58:45 GMT");
    await res.arrayBuffer();
  });

  it("answers 304 without a body to a matching If-None-Match", async () => {
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/tags/WAIC/rss.xml"]) {
      const first = await get(path);
      const etag = first.headers.get("etag") ?? "";
      await first.arrayBuffer();
      const again = await get(path, { headers: { "If-None-Match": `"other", ${etag}` } });
      expect(again.status, path).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(await again.text()).toBe("");
      const changed = await get(path, { headers: { "If-None-Match": '"stale"' } });
      expect(changed.status).toBe(200);
      await changed.arrayBuffer();
    }
  });

  it("answers 304 to If-Modified-Since at or after Last-Modified, 200 before it", async () => {
    const notModified = await get("/rss.xml", { headers: { "If-Modified-Since": "Sun, 29 Nov 2026 01:58:45 GMT" } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    const modified = await get("/rss.xml", { headers: { "If-Modified-Since": "Sun, 29 Nov 2026 01:58:44 GMT" } });
    expect(modified.status).toBe(200);
    expect(await modified.text()).toContain("<rss");
    // A reader that last fetched after the items were published, but before they were added, gets them.
    const sincePublished = await get("/rss.xml", { headers: { "If-Modified-Since": "Tue, 19 Oct 2021 00:00:00 GMT" } });
    expect(sincePublished.status).toBe(200);
    await sincePublished.arrayBuffer();
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    const both = await get("/rss.xml", {
      headers: { "If-None-Match": '"stale"', "If-Modified-Since": "Sun, 29 Nov 2026 01:58:45 GMT" },
    });
    expect(both.status).toBe(200);
    await both.arrayBuffer();
  });

  it("takes the newest of published, updated and added, whichever it is", () => {
    const updatedLast = { ...interview, updated: "2026-12-01T08:00:00+08:00" };
    expect(newestChange([updatedLast, event])).toBe("2026-12-01T08:00:00+08:00");
    const addedLast = { ...updatedLast, added: "2026-12-02T08:00:00+08:00" };
    expect(newestChange([event, addedLast])).toBe("2026-12-02T08:00:00+08:00");
    expect(newestChange([event])).toBe(event.added);
  });

  it("ignores an If-Modified-Since later than now (RFC 9110 13.1.3)", async () => {
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toUTCString();
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", `/articles/${interview.slug}`, "/"]) {
      const future = await get(path, { headers: { "If-Modified-Since": tomorrow } });
      expect(future.status, path).toBe(200);
      expect((await future.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
      const past = await get(path, { headers: { "If-Modified-Since": new Date().toUTCString() } });
      expect(past.status, path).toBe(304);
      await past.arrayBuffer();
    }
  });

  it("answers HEAD with the GET headers and no body", async () => {
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json"]) {
      const full = await get(path);
      const body = await full.arrayBuffer();
      const head = await get(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      for (const name of ["content-type", "etag", "last-modified", "cache-control"]) {
        expect(head.headers.get(name), `${path} ${name}`).toBe(full.headers.get(name));
      }
      expect(full.headers.get("content-length")).toBe(String(body.byteLength));
    }
  });
});

describe("buildFeed on hostile text", () => {
  const tricky: ContentItem = {
    ...interview,
    id: "tag:example.com,2021:a&b",
    slug: "tricky",
    title: "R&D <不是标签> & ]]> 与 &amp; 字面量\u0007",
    summary: "摘要 <b>粗</b> & ]]>\u0000",
    author: "A & B",
    html: "<p>正文 ]]> 两次 ]]> \u0008结束</p>",
  };
  const buildAll = () =>
    Object.fromEntries(feedFormats.map((format) => [format, buildFeed([tricky], { siteUrl: "https://news.example.com" }, format, { document: { kind: "current" }, pageSize: 20, updatesPerWeek: 3 })])) as Record<FeedFormat, string>;
  const feeds = buildAll();
  const title = "R&D <不是标签> & ]]> 与 &amp; 字面量";

  it("brings titles with & and < to readers intact in every format", () => {
    const rss = parseRss(feeds.rss).rss.channel.item[0];
    const atom = parseAtom(feeds.atom).feed.entry[0];
    const json = (JSON.parse(feeds.json) as JsonFeed).items[0];
    expect(rss?.title).toBe(title);
    expect(atom?.title["@type"]).toBe("html");
    expect(decodeHtml(atom?.title["#text"] ?? "")).toBe(title);
    expect(json?.title).toBe(title);

    expect(decodeHtml(rss?.description ?? "")).toBe("摘要 <b>粗</b> & ]]>");
    expect(decodeHtml(atom?.summary["#text"] ?? "")).toBe("摘要 <b>粗</b> & ]]>");
    expect(json?.summary).toBe("摘要 <b>粗</b> & ]]>");
    expect(rss?.["dc:creator"]).toBe("A & B");
    expect(atom?.author).toEqual([{ name: "A & B" }]);
    expect(json?.authors).toEqual([{ name: "A & B" }]);
  });

  it("keeps ids identical and content whole, and drops characters XML 1.0 forbids", () => {
    const rss = parseRss(feeds.rss).rss.channel.item[0];
    const atom = parseAtom(feeds.atom).feed.entry[0];
    const json = (JSON.parse(feeds.json) as JsonFeed).items[0];
    expect([rss?.guid["#text"], atom?.id, json?.id]).toEqual(Array(3).fill("tag:example.com,2021:a&b"));
    for (const html of [rss?.["content:encoded"], atom?.content["#text"], json?.content_html]) {
      expect(decodeHtml(html ?? "")).toContain("<p>正文 ]]> 两次 ]]> 结束</p>");
    }
    for (const text of Object.values(feeds)) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    }
  });

  it("is deterministic: the same input gives the same bytes", () => {
    expect(buildAll()).toEqual(feeds);
  });
});

describe("prepared responses answered by the first middleware", () => {
  it("answers a repeated request with the same bytes and headers, and 304s it", async () => {
    const first = await exports.default.fetch("http://example.com/atom.xml");
    const second = await exports.default.fetch("http://example.com/atom.xml");
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    expect([...second.headers]).toEqual([...first.headers]);
    const etag = first.headers.get("etag") ?? "";
    const notModified = await exports.default.fetch("http://example.com/atom.xml", { headers: { "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
  });

  it("keeps prepared bodies apart per SITE_URL and per origin, and never for other methods", async () => {
    await exports.default.fetch("http://example.com/rss.xml");
    const prepared = (url: string, environment: Env = env) => representations.ready(storeKey(environment, url));
    expect(prepared("http://example.com/rss.xml")).toBeDefined();
    // A reader's first poll builds only the format it asked for.
    await exports.default.fetch("http://fresh.example/feed.json");
    expect(prepared("http://fresh.example/feed.json")).toBeDefined();
    expect(prepared("http://fresh.example/rss.xml")).toBeUndefined();
    expect(prepared("http://example.com/rss.xml", { ...env, SITE_URL: "https://news.example.com" })).toBeUndefined();
    expect(prepared("http://example.com/rss.xml", { ...env, ENVIRONMENT: "production" })).toBeUndefined();
    expect(prepared("http://other.example/rss.xml")).toBeUndefined();
    // No prepared route reads a query: the same representation answers it.
    expect(prepared("http://example.com/rss.xml?x=1")).toBe(prepared("http://example.com/rss.xml"));
    // Other methods go to the router, which knows the feed answers only GET and HEAD.
    const posted = await exports.default.fetch("http://example.com/rss.xml", { method: "POST" });
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET, HEAD");
    await posted.arrayBuffer();
  });
});
