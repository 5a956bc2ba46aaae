/** The /digests routes: list, preview (HTML, text, another theme), archive and web versions of editions. */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { themes } from "../emails/theme.ts";
import { getItem } from "../src/content/collection.ts";
import { digests as catalog } from "../src/digests/catalog.ts";
import { insertEdition } from "../src/digests/editions-store.ts";
import { freezeDate } from "./helpers/fake-clock.ts";

const get = (path: string) => exports.default.fetch(`http://example.com${path}`);
/** What a reader reads of an HTML page: its text, tags removed. */
const textWithoutTags = (html: string) => html.replace(/<[^>]+>/g, "");

/** A page, not JSON: /digests is read by people, only /api and /webhooks answer JSON. */
async function expectProblemPage(path: string, status: number, says: string) {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
  expect(res.headers.get("content-security-policy"), path).toContain("default-src 'none'");
  expect(await res.text(), path).toContain(says);
}

const interview = getItem("zhang-hongjiang-interview");
const event = getItem("waic-ai-developer-forum-2021");

describe("GET /digests", () => {
  it("lists every digest with its description, its schedule in words and Beijing time and its last edition", async () => {
    await insertEdition(
      env.DB,
      {
        id: "weekly-2026-11-23",
        digestId: "weekly",
        scheduledFor: "2026-11-23T00:00:00.000Z",
        subject: "2026 年 11 月 23 日 每周精选",
        itemSlugs: ["zhang-hongjiang-interview", "waic-ai-developer-forum-2021"],
        trigger: "cron",
      },
      new Date("2026-11-23T00:00:05Z"),
    );
    const res = await get("/digests");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('lang="zh-CN"');
    for (const digest of catalog) {
      expect(page).toContain(digest.title);
      expect(page).toContain(digest.description);
      // No cron expression, no internal theme label.
      expect(page).not.toContain(digest.schedule);
      expect(page).not.toContain(themes[digest.theme].label);
    }
    expect(page).not.toMatch(/cron|UTC|主题/);
    // The next Friday 01:00 UTC is Friday 09:00 in Beijing.
    expect(page).toContain("每周五 09:00（北京时间）");
    expect(page).toMatch(/<span class="nowrap">下次：\d{1,2} 月 \d{1,2} 日（周五）09:00<\/span>/);
    // The edition's date is shown once, unbroken, and its subject does not repeat it.
    expect(page).toContain('<a href="/digests/weekly/editions/weekly-2026-11-23"><span class="nowrap">2026 年 11 月 23 日</span></a>');
    expect(page).toContain("最近一期：尚未发送");
    expect(page).toContain('href="/digests/weekly/preview"');
    // The WAIC forum (2021) has ended: listed last, as an archive, with nothing to preview or subscribe to.
    expect(page).not.toContain('href="/digests/waic-forum/preview"');
    expect(page.slice(page.indexOf("<h2>已结束</h2>"))).toContain('<a href="/digests/waic-forum">往期</a>');
  });
});

describe("GET /digests/:id/preview", () => {
  it("shows the next edition's HTML as sent, with a sample recipient's signed links", async () => {
    const res = await get("/digests/interview-highlights/preview");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(decodeURIComponent(res.headers.get("x-digest-subject") ?? "")).toBe("访谈精选｜专访张宏江：「大模型+大算力」撑开深度学习瓶颈");
    expect(res.headers.get("x-digest-would-send")).toBe("true");
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html/);
    // Read as text: the quote's last characters are kept on one line by a nowrap span.
    expect(textWithoutTags(html)).toContain(interview?.highlights[0]);
    expect(html).toMatch(/href="http:\/\/example\.com\/unsubscribe\?digest=interview-highlights&amp;token=[\w-]+\.[\w-]+"/);
    expect(html).toMatch(/href="http:\/\/example\.com\/preferences\?token=[\w-]+\.[\w-]+"/);
    expect(html).not.toContain("recipient.invalid");
    expect(html).toContain('href="http://example.com/digests/interview-highlights/editions/next"');
    expect(html).toContain(themes.highlights.light.accent);
  });

  it("gives the plain-text part with ?format=text", async () => {
    const res = await get("/digests/waic-forum/preview?format=text");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).not.toContain("<");
    expect(text).toContain("本活动已于 2021 年 7 月 8 日—10 日 举行。");
    expect(text).toMatch(/退订 http:\/\/example\.com\/unsubscribe\?digest=waic-forum&token=\S+/);
    expect(text).toContain("在浏览器中查看 http://example.com/digests/waic-forum/editions/next");
  });

  it("previews another theme with ?theme=", async () => {
    const html = await (await get("/digests/interview-highlights/preview?theme=event")).text();
    expect(html).toContain(themes.event.light.accent);
    expect(html).not.toContain(themes.highlights.light.accent);
    // Read as text: the quote's last characters are kept on one line by a nowrap span.
    expect(textWithoutTags(html)).toContain(interview?.highlights[0]);
  });

  it("answers the 404 page for an unknown digest and a 400 page for an unknown theme or format", async () => {
    await expectProblemPage("/digests/monthly/preview", 404, "没有编号为「<code>monthly</code>」的简报，请从「邮件简报」页选择。");
    await expectProblemPage("/digests/weekly/preview?theme=neon", 400, "theme 只能是 highlights、event、classic");
    await expectProblemPage("/digests/weekly/preview?format=pdf", 400, "format 只能是 html 或 text");
  });

  it("shows an empty next edition, and says it would not be sent, once everything went out", async () => {
    await insertEdition(
      env.DB,
      { id: "waic-sent", digestId: "waic-forum", scheduledFor: null, subject: "s", itemSlugs: ["waic-ai-developer-forum-2021"], trigger: "manual" },
      new Date(),
    );
    const res = await get("/digests/waic-forum/preview?format=text");
    expect(res.headers.get("x-digest-items")).toBe("0");
    expect(res.headers.get("x-digest-would-send")).toBe("false");
    expect(await res.text()).toContain("本期暂无新内容。");
  });
});

describe("archive and web versions", () => {
  it("lists a digest's editions, newest first, linking to their web versions", async () => {
    const subjects = { "weekly-a": "2026-11-09 每周精选", "weekly-b": "2026年11月16日 特刊", "weekly-c": "每周精选｜专访张宏江等 2 篇" };
    for (const [id, day] of [["weekly-a", "2026-11-09"], ["weekly-b", "2026-11-16"], ["weekly-c", "2026-10-26"]] as const) {
      await insertEdition(
        env.DB,
        { id, digestId: "weekly", scheduledFor: `${day}T00:00:00.000Z`, subject: subjects[id], itemSlugs: ["zhang-hongjiang-interview"], trigger: "cron" },
        new Date(`${day}T00:00:05Z`),
      );
    }
    const res = await get("/digests/weekly");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("<h1>每周精选</h1>");
    expect(page).toContain("每周一 08:00（北京时间）");
    expect(page).not.toContain("0 0 * * MON");
    // A subject that says more than the digest's title keeps the rest, without its date.
    expect(page).toContain('<span class="nowrap">2026 年 11 月 16 日</span> · 特刊</a>');
    // The page names the digest: a subject's leading 「每周精选｜」 is not repeated.
    expect(page).toContain('<span class="nowrap">2026 年 10 月 26 日</span> · 专访张宏江等 2 篇</a>');
    const b = page.indexOf('href="/digests/weekly/editions/weekly-b"');
    const a = page.indexOf('href="/digests/weekly/editions/weekly-a"');
    expect(b).toBeGreaterThan(0);
    expect(a).toBeGreaterThan(b);
    expect((await (await get("/digests/interview-highlights")).text())).toContain("还没有发送过。");
  });

  it("re-renders a sent edition from its stored items, without anyone's personal links", async () => {
    await insertEdition(
      env.DB,
      { id: "weekly-2026-11-02", digestId: "weekly", scheduledFor: "2026-11-02T00:00:00.000Z", subject: "x", itemSlugs: ["waic-ai-developer-forum-2021"], trigger: "cron" },
      new Date("2026-11-02T00:00:03Z"),
    );
    const res = await get("/digests/weekly/editions/weekly-2026-11-02");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain("AI 前沿精选 · 2026 年 11 月 2 日");
    expect(html).toContain(event?.title);
    expect(html).not.toContain(interview?.title);
    expect(html).not.toMatch(/token=|recipient\.invalid|在浏览器中查看/);
    // The subscribe link checks this digest in the form.
    expect(html).toContain('href="http://example.com/?digest=weekly#subscribe"');
  });

  it("serves the upcoming edition at /editions/next", async () => {
    const res = await get("/digests/interview-highlights/editions/next");
    expect(res.status).toBe(200);
    expect(textWithoutTags(await res.text())).toContain(interview?.highlights[1]);
  });

  it("answers 404 for an unknown edition, an edition of another digest and an unknown digest", async () => {
    await insertEdition(
      env.DB,
      { id: "waic-1", digestId: "waic-forum", scheduledFor: null, subject: "x", itemSlugs: [], trigger: "manual" },
      new Date(),
    );
    for (const path of ["/digests/weekly/editions/nope", "/digests/weekly/editions/waic-1", "/digests/monthly", "/digests/monthly/editions/next"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("找不到页面");
    }
  });
});

describe("the preview and the next edition are stored per content version, like the pages", () => {
  const paths = [
    "/digests/interview-highlights/preview",
    "/digests/interview-highlights/preview?format=text",
    "/digests/interview-highlights/preview?theme=event",
    "/digests/interview-highlights/editions/next",
  ];

  afterEach(() => vi.useRealTimers());

  it.each(paths)("%s: the stored copy again (same bytes, same Last-Modified a second later), with Cache-Control and ETag, and a 304 to its ETag", async (path) => {
    freezeDate(Date.now());
    const first = await get(path);
    const body = await first.text();
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(Date.parse(first.headers.get("last-modified") ?? "")).toBeLessThanOrEqual(Date.now());
    // Last-Modified says when the copy was made: a copy made again 1.1 s later would say a
    // later second (the routes read Date, moved here instead of waiting). The stored one says the first.
    vi.setSystemTime(Date.now() + 1100);
    const again = await get(path);
    expect(await again.text()).toBe(body);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("last-modified")).toBe(first.headers.get("last-modified"));
    const revalidated = await exports.default.fetch(`http://example.com${path}`, { headers: { "If-None-Match": etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
  });

  it("keeps each format and theme apart, with the preview's own headers", async () => {
    const [html, text, themed] = await Promise.all(paths.slice(0, 3).map(get));
    expect(html?.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(text?.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(html?.headers.get("x-digest-would-send")).toBe("true");
    expect(text?.headers.get("x-digest-items")).toBe(html?.headers.get("x-digest-items"));
    const [htmlBody, textBody, themedBody] = await Promise.all([html, text, themed].map((res) => res?.text()));
    expect(new Set([htmlBody, textBody, themedBody]).size).toBe(3);
  });

  it("changes as soon as an edition goes out: the stored copy is per latest edition", async () => {
    const path = "/digests/interview-highlights/editions/next";
    const before = await get(path);
    const beforeEtag = before.headers.get("etag");
    expect(await before.text()).toContain(interview?.title);
    await insertEdition(
      env.DB,
      { id: "highlights-sent", digestId: "interview-highlights", scheduledFor: null, subject: "s", itemSlugs: ["zhang-hongjiang-interview"], trigger: "manual" },
      new Date(),
    );
    const after = await get(path);
    expect(after.headers.get("etag")).not.toBe(beforeEtag);
    expect(await after.text()).toContain("本期暂无新内容");
    const preview = await get("/digests/interview-highlights/preview");
    expect(preview.headers.get("x-digest-items")).toBe("0");
    await preview.arrayBuffer();
  });
});
