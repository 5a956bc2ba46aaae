/**
 * The whole archive, paged (RFC 5005): with a page size of one, the two items of the
 * collection make two archive pages; the subscription feeds carry the latest item and
 * point to the newest archive page, and each archive page links its neighbours and the
 * feed it belongs to, is marked fh:archive (JSON Feed: next_url), and may be cached a month.
 * Also what every feed says to readers: ttl and sy: schedule, icons, authors, language.
 */
import { env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { event, interview } from "./helpers/seed-items.ts";

const ORIGIN = "http://example.com";
const pagedEnv = { ...env, FEED_PAGE_SIZE: "1" };
const fetchPaged = (path: string) => app.fetch(new Request(`${ORIGIN}${path}`), pagedEnv);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false });

type Link = { "@rel": string; "@href": string };
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const rels = (links: Link[]) => Object.fromEntries(links.filter((l) => l["@rel"] !== "self" && l["@rel"] !== "alternate").map((l) => [l["@rel"], l["@href"]]));

async function xml(path: string) {
  const res = await fetchPaged(path);
  expect(res.status, path).toBe(200);
  return { res, doc: parser.parse(await res.text()) };
}

describe("RSS and Atom archive pages", () => {
  it("the subscription feed carries the latest item and points to the newest archive page", async () => {
    const { doc: rss } = await xml("/rss.xml");
    const channel = rss.rss.channel;
    expect(asArray(channel.item).map((item: { guid: { "#text": string } }) => item.guid["#text"])).toEqual([event.id]);
    expect(rels(asArray(channel["atom:link"]))).toEqual({ "prev-archive": `${ORIGIN}/archive/2/rss.xml` });
    expect(channel["fh:archive"]).toBeUndefined();

    const { doc: atom } = await xml("/atom.xml");
    expect(asArray(atom.feed.entry).map((entry: { id: string }) => entry.id)).toEqual([event.id]);
    expect(rels(asArray(atom.feed.link))).toEqual({ "prev-archive": `${ORIGIN}/archive/2/atom.xml` });
    expect(atom.feed["@xmlns:fh"]).toBe("http://purl.org/syndication/history/1.0");
  });

  it("each archive page holds its share, is marked as an archive and links current, prev-archive and next-archive", async () => {
    const { res, doc: newest } = await xml("/archive/2/rss.xml");
    expect(res.headers.get("cache-control")).toBe("public, max-age=2592000");
    expect(newest.rss.channel).toHaveProperty("fh:archive");
    expect(newest.rss["@xmlns:fh"]).toBe("http://purl.org/syndication/history/1.0");
    expect(rels(asArray(newest.rss.channel["atom:link"]))).toEqual({
      current: `${ORIGIN}/rss.xml`,
      "prev-archive": `${ORIGIN}/archive/1/rss.xml`,
    });
    const self = asArray<Link & { "@type"?: string }>(newest.rss.channel["atom:link"]).find((l) => l["@rel"] === "self");
    expect(self?.["@href"]).toBe(`${ORIGIN}/archive/2/rss.xml`);

    const { doc: oldest } = await xml("/archive/1/atom.xml");
    expect(oldest.feed).toHaveProperty("fh:archive");
    expect(asArray(oldest.feed.entry).map((entry: { id: string }) => entry.id)).toEqual([interview.id]);
    expect(rels(asArray(oldest.feed.link))).toEqual({ current: `${ORIGIN}/atom.xml`, "next-archive": `${ORIGIN}/archive/2/atom.xml` });
  });

  it("answers the 404 page for a page that is not a full archive page", async () => {
    for (const path of ["/archive/0/rss.xml", "/archive/3/rss.xml", "/archive/01/atom.xml", "/archive/x/feed.json", "/tags/悟道/archive/2/rss.xml"]) {
      const res = await fetchPaged(encodeURI(path));
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("找不到页面");
    }
    // At the default page size of 20, two items make no archive page yet.
    expect((await app.fetch(new Request(`${ORIGIN}/archive/1/rss.xml`), env)).status).toBe(404);
  });

  it("pages a tag's feeds by that tag's own items", async () => {
    const tag = `/tags/${encodeURIComponent("悟道")}`;
    const { doc } = await xml(`${tag}/rss.xml`);
    expect(asArray(doc.rss.channel.item)).toHaveLength(1);
    expect(rels(asArray(doc.rss.channel["atom:link"]))).toEqual({ "prev-archive": `${ORIGIN}${tag}/archive/1/rss.xml` });
    const { doc: archive } = await xml(`${tag}/archive/1/rss.xml`);
    expect(rels(asArray(archive.rss.channel["atom:link"]))).toEqual({ current: `${ORIGIN}${tag}/rss.xml` });
  });
});

describe("JSON Feed pages", () => {
  it("follow next_url from the feed through every archive page, oldest last", async () => {
    const seen: string[] = [];
    let url: string | undefined = `${ORIGIN}/feed.json`;
    let feedUrl: string | undefined;
    while (url) {
      const res = await fetchPaged(new URL(url).pathname);
      expect(res.status, url).toBe(200);
      const page = (await res.json()) as { feed_url: string; next_url?: string; items: { id: string }[] };
      feedUrl ??= page.feed_url;
      expect(page.feed_url).toBe(feedUrl);
      seen.push(...page.items.map((item) => item.id));
      url = page.next_url;
    }
    expect(seen).toEqual([event.id, event.id, interview.id]);
    expect(new Set(seen)).toEqual(new Set([event.id, interview.id]));
  });
});

describe("what every feed tells a reader", () => {
  it("RSS: ttl and sy: schedule from the digests' sends, and an image", async () => {
    const { doc } = await xml("/rss.xml");
    const channel = doc.rss.channel;
    // Three digests send once a week each: 3 updates a week, ttl a day at most.
    expect(channel["sy:updatePeriod"]).toBe("weekly");
    expect(Number(channel["sy:updateFrequency"])).toBeGreaterThanOrEqual(1);
    expect(Number(channel.ttl)).toBeLessThanOrEqual(1440);
    expect(Number(channel.ttl)).toBeGreaterThan(0);
    expect(channel.image).toMatchObject({ url: `${ORIGIN}/icon-144.png`, link: `${ORIGIN}/` });
  });

  it("Atom: icon and logo", async () => {
    const { doc } = await xml("/atom.xml");
    expect(doc.feed.icon).toBe(`${ORIGIN}/icon-64.png`);
    expect(doc.feed.logo).toBe(`${ORIGIN}/cards/site.png`);
  });

  it("JSON Feed: icon, favicon, and authors and language on every item, per tag too", async () => {
    for (const path of ["/feed.json", `/tags/${encodeURIComponent("悟道")}/feed.json`]) {
      const feed = (await (await app.fetch(new Request(`${ORIGIN}${path}`), env)).json()) as {
        icon: string;
        favicon: string;
        language: string;
        items: { authors: { name: string }[]; language: string }[];
      };
      expect(feed.icon, path).toBe(`${ORIGIN}/icon-512.png`);
      expect(feed.favicon, path).toBe(`${ORIGIN}/icon-64.png`);
      expect(feed.items.length, path).toBeGreaterThan(0);
      for (const item of feed.items) {
        expect(item.authors[0]?.name, path).toBeTruthy();
        expect(item.language, path).toBe("zh-CN");
      }
    }
  });
});
