/**
 * The site as a browser sees it: the home page, article pages, tag pages and 404s, fetched
 * from the real routes, with their caching headers.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { describeSchedule } from "../src/digests/describe-schedule.ts";
import { DEEP_SENTENCE, event, interview } from "./helpers/seed-items.ts";

const ORIGIN = "http://example.com";
const get = (path: string, init?: RequestInit) => exports.default.fetch(`${ORIGIN}${path}`, init);

/** Text as it appears in the page source (hono/html escaping). */
const inHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");


async function page(path: string): Promise<string> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  return res.text();
}

describe("home page", () => {
  it("is a zh-CN page readable on a phone, announcing all three feeds", async () => {
    const html = await page("/");
    expect(html).toMatch(/^<!doctype html>\s*<html lang="zh-CN">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1" />');
    expect(html).toMatch(/font:[^;]*"PingFang SC"[^;]*"Noto Sans CJK SC"/);
    for (const [type, file] of [
      ["application/rss+xml", "rss.xml"],
      ["application/atom+xml", "atom.xml"],
      ["application/feed+json", "feed.json"],
    ]) {
      expect(html).toContain(`<link rel="alternate" type="${type}" title="AI 前沿精选（`);
      expect(html).toMatch(new RegExp(`type="${type?.replace("+", "\\+")}" title="[^"]+" href="${ORIGIN}/${file}" />`));
    }
  });

  it("lists the items newest first with date in Beijing time, summary and tags", async () => {
    const html = await page("/");
    const published = items.map((item) => Date.parse(item.published));
    expect(published).toEqual([...published].sort((a, b) => b - a));
    const positions = items.map((item) => html.indexOf(`<a href="/articles/${item.slug}">${inHtml(item.title)}</a>`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(html).toContain('<time datetime="2021-10-18T17:39:41+08:00">2021 年 10 月 18 日 17:39</time>');
    expect(html).toContain(inHtml(interview.summary));
    expect(html).toContain(`<a href="/tags/${encodeURIComponent("悟道")}">#悟道</a>`);
  });

  it("offers the subscribe form: every digest checked, with its description and schedule in words", async () => {
    const html = await page("/");
    expect(html).toMatch(/<form class="subscribe"[^>]* method="post" action="\/api\/subscribe">/);
    expect(html).toMatch(/<input id="subscribe-email" name="email" type="email" required [^>]*placeholder="例如 name@qq.com"/);
    expect(html).toContain('<input type="hidden" name="digests-offered" value="1" />');
    for (const digest of digests) {
      expect(html).toContain(`<input type="checkbox" name="digests" value="${digest.id}" checked />`);
      expect(html).toContain(inHtml(digest.description ?? "no description"));
      expect(html).toContain(`<span class="schedule">${describeSchedule(digest.schedule)}</span>`);
    }
    expect(html).toContain("每周一 08:00（北京时间）");
    expect(html).not.toMatch(/\* \* (MON|WED|FRI)/);
    expect(html).toContain('<a href="/digests">');
  });

  it("names the site once, as its heading, and keeps the header to a few links", async () => {
    const html = await page("/");
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('<h1 class="name"><a href="/">AI 前沿精选</a></h1>');
    expect(html.split("</header>")[1]?.split("<footer")[0]).not.toContain("AI 前沿精选");
    const header = html.split("<header")[1]?.split("</header>")[0] ?? "";
    expect(header.match(/<a /g)).toHaveLength(4);
  });

  it("keeps one stylesheet, with a dark palette and 44 px tap targets", async () => {
    const html = await page("/");
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<link rel="stylesheet"|<script|\son[a-z]+=/);
    expect(html).toContain("@media (prefers-color-scheme:dark)");
    expect(html).toMatch(/input\[type=email\]\{[^}]*min-height:44px/);
    expect(html).toMatch(/button\{[^}]*min-height:44px/);
    expect(html).toMatch(/label\.choice\{[^}]*min-height:44px/);
  });

  it("uses SITE_URL for its absolute links", async () => {
    const res = await app.fetch(new Request(`${ORIGIN}/`), { ...env, SITE_URL: "https://news.example.com" });
    const html = await res.text();
    expect(html).toContain('href="https://news.example.com/rss.xml"');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/" />');
  });
});

describe("article pages", () => {
  it("show the whole interview: title, author, source, date, headings, figures as captions, tags, rights", async () => {
    const html = await page(`/articles/${interview.slug}`);
    expect(html).toContain(`<h1>${inHtml(interview.title)}</h1>`);
    expect(html).toContain("作者：闻菲");
    expect(html).toContain(`来源：${inHtml(interview.source.name)}`);
    expect(html).toContain("2021 年 10 月 18 日 17:39");
    expect(html).toContain(DEEP_SENTENCE);
    expect(html.match(/<h2>/g)).toHaveLength(4);
    expect(html.match(/<figcaption>/g)).toHaveLength(interview.figures.length);
    for (const figure of interview.figures) expect(html).toContain(`<figcaption>${inHtml(figure.caption)}</figcaption>`);
    expect(html).toContain("<figcaption>2010 年张宏江（右）荣获 IEEE 技术成就奖");
    expect(html).not.toContain("<img");
    for (const tag of interview.tags) expect(html).toContain(`<a href="/tags/${encodeURIComponent(tag)}">#${tag}</a>`);
    expect(html).toContain(`<footer class="rights">${inHtml(interview.rights ?? "")}</footer>`);
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}/articles/${interview.slug}" />`);
  });

  it("show an ended event as a recap: its dates in the past tense, no registration call, the source's date", async () => {
    const html = await page(`/articles/${event.slug}`);
    expect(html).toContain("活动回顾");
    expect(html).toContain("本活动已于 2021 年 7 月 8 日—10 日 举行。");
    expect(html).toContain("RTX 3060 显卡");
    expect(html).toContain('原文发表于 <time datetime="2021-10-18T17:39:41+08:00">2021 年 10 月 18 日 17:39</time>');
    for (const call of ["立即报名", "识别下方二维码", "报名二维码", "添加到日历", "活动预告"]) expect(html).not.toContain(call);
  });

  it("answer an unknown slug with a 404 page", async () => {
    const res = await get("/articles/no-such-article");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("no-such-article");
    expect(html).toContain('<a href="/">返回首页</a>');
  });
});

describe("tag pages", () => {
  it("list the tagged items and announce the tag's feeds", async () => {
    const path = `/tags/${encodeURIComponent("活动")}`;
    const html = await page(path);
    expect(html).toContain(inHtml(event.title));
    expect(html).not.toContain(inHtml(interview.title));
    expect(html).toContain(`type="application/atom+xml" title="AI 前沿精选 · 活动（Atom）" href="${ORIGIN}${path}/atom.xml"`);
  });

  it("list the tag's feed links as separate items", async () => {
    const path = `/tags/${encodeURIComponent("活动")}`;
    const html = await page(path);
    expect(html).toContain(
      `<ul class="links"><li><a href="${ORIGIN}${path}/rss.xml">RSS</a></li><li><a href="${ORIGIN}${path}/atom.xml">Atom</a></li><li><a href="${ORIGIN}${path}/feed.json">JSON Feed</a></li></ul>`,
    );
  });

  it("answer an unknown tag with a 404 page", async () => {
    const res = await get("/tags/no-such-tag");
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("page caching headers", () => {
  // Last-Modified is the newest of published, updated and added: these items were published
  // in 2021 and added on 2026-11-29 (the interview at 09:58:29, the event at 09:58:45, +08:00).
  const pages: [path: string, lastModified: string][] = [
    ["/", "Sun, 29 Nov 2026 01:58:45 GMT"],
    [`/articles/${interview.slug}`, "Sun, 29 Nov 2026 01:58:29 GMT"],
    [`/tags/${encodeURIComponent("悟道")}`, "Sun, 29 Nov 2026 01:58:29 GMT"],
  ];
  for (const [path, lastModified] of pages) {
    it(`${path}: ETag, Last-Modified, 304s and HEAD`, async () => {
      const res = await get(path);
      const body = await res.text();
      const etag = res.headers.get("etag") ?? "";
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.get("last-modified")).toBe(lastModified);
      expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);

      const byEtag = await get(path, { headers: { "If-None-Match": etag } });
      expect(byEtag.status).toBe(304);
      expect(await byEtag.text()).toBe("");
      const byDate = await get(path, { headers: { "If-Modified-Since": "Mon, 30 Nov 2026 00:00:00 GMT" } });
      expect(byDate.status).toBe(304);
      await byDate.arrayBuffer();
      // After publication, before the item was added: what the reader has is older than this page.
      const beforeAdded = await get(path, { headers: { "If-Modified-Since": "Tue, 19 Oct 2021 00:00:00 GMT" } });
      expect(beforeAdded.status).toBe(200);
      await beforeAdded.arrayBuffer();

      const head = await get(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("etag")).toBe(etag);
      expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await head.text()).toBe("");
      expect(body.length).toBeGreaterThan(0);
    });
  }
});
