/**
 * Events make sense in time: an email or page is told as of a given moment (the send time,
 * the request time), a recap once the event has ended, otherwise when, where and how to
 * register; every event item has an RFC 5545 calendar, checked with a real parser (ical.js).
 */
import { exports } from "cloudflare:workers";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { ContentItem } from "../src/content/item.ts";
import { getDigest, type Digest } from "../src/digests/catalog.ts";
import { renderDigest } from "../src/digests/render-digest.ts";
import { eventCalendar, foldLine } from "../src/feeds/event-calendar.ts";
import { articlePage } from "../src/pages/article-page.ts";
import { event, interview } from "./helpers/seed-items.ts";

const site = { url: "http://example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const edition = { id: "waic-forum-2026-12-02", date: "2026-12-02" };
const CALENDAR_URL = `${site.url}/articles/${event.slug}/event.ics`;

function mustGetDigest(id: string): Digest {
  const digest = getDigest(id);
  if (!digest) throw new Error(`digest "${id}" is missing: run npm run build:content`);
  return digest;
}

/** An upcoming timed event with a venue and a registration link, built on the seed note. */
const timed: ContentItem = {
  ...event,
  id: "tag:example.com,2026-11-20:ai-salon",
  slug: "ai-salon-2026",
  title: "AI 沙龙：大模型推理优化",
  event: {
    starts: "2026-12-10T14:00:00+08:00",
    ends: "2026-12-10T17:30:00+08:00",
    timezone: "Asia/Shanghai",
    venue: "上海世博中心 3 层，B 厅",
    registration: { url: "https://example.com/register?event=salon", deadline: "2026-12-08T18:00:00+08:00" },
    sessions: [],
    topics: ["推理优化"],
    prizes: [],
  },
};

const render = (items: ContentItem[], now: string) =>
  renderDigest(mustGetDigest("waic-forum"), items, edition, site, new Date(now));

describe("an event in a digest email, as of its send time", () => {
  // The first render loads React Email, which takes seconds on a busy machine; the tests time the rendering of none.
  beforeAll(() => render([event], "2021-07-01T00:00:00Z"), 60_000);

  it("before the event: a preview with the dates, a countdown and 添加到日历", async () => {
    const { text, html } = await render([event], "2021-07-01T00:00:00Z");
    expect(text).toContain("活动预告");
    expect(text).toContain("距活动开始还有 7 天。");
    expect(text).toContain("时间：2021 年 7 月 8 日—10 日");
    expect(text).toContain(`添加到日历 ${CALENDAR_URL}`);
    expect(html).toContain(`href="${CALENDAR_URL}"`);
    // The seed names no registration URL: no button pointing nowhere.
    expect(text).not.toContain("立即报名");
  });

  it("during the event: under way, no countdown", async () => {
    const { text } = await render([event], "2021-07-09T04:00:00Z");
    expect(text).toContain("活动进行中");
    expect(text).not.toContain("距活动开始");
  });

  it("after the event (the 2026-12-02 send of the issue): a recap in the past tense, no registration, no countdown, no calendar", async () => {
    const { subject, text, html } = await render([event], "2026-12-02T00:30:00Z");
    expect(subject).toBe(event.title);
    expect(text).toContain("活动回顾");
    expect(text).toContain("本活动已于 2021 年 7 月 8 日—10 日 举行。");
    for (const phrase of ["活动预告", "立即报名", "报名", "距活动开始", "添加到日历", "二维码"]) expect(text).not.toContain(phrase);
    expect(html).not.toContain("event.ics");
    // Facts once: the prizes are in the event block only, not again as a highlight.
    expect(text.split("HHKB 键盘")).toHaveLength(2);
    // The source's date is the source's date.
    expect(text).toContain("原文发表于 2021 年 10 月 18 日");
  });

  it("offers the registration button until the deadline, then only the facts, then a recap", async () => {
    const before = await render([timed], "2026-12-01T00:00:00Z");
    expect(before.html).toMatch(/<a[^>]*href="https:\/\/example\.com\/register\?event=salon"[^>]*>[\s\S]*?立即报名/);
    expect(before.text).toContain("时间：2026 年 12 月 10 日 14:00—17:30（北京时间）");
    expect(before.text).toContain("地点：上海世博中心 3 层，B 厅");
    expect(before.text).toContain("报名截止：2026 年 12 月 8 日 18:00（北京时间）");
    expect(before.text).toContain("距活动开始还有 10 天。");

    const closed = await render([timed], "2026-12-09T00:00:00Z");
    expect(closed.text).toContain("活动预告");
    expect(closed.text).not.toContain("立即报名");
    expect(closed.text).not.toContain("报名截止");

    const after = await render([timed], "2026-12-10T09:30:00Z");
    expect(after.text).toContain("本活动已于 2026 年 12 月 10 日 14:00—17:30（北京时间） 举行。");
    expect(after.html).not.toContain("example.com/register");
  });
});

describe("an event's article page, as of the request time", () => {
  const page = async (item: ContentItem, now: string) => String(await articlePage(item, site.url, new Date(now)));

  it("before the event shows the source's call to register and 添加到日历", async () => {
    const html = await page(event, "2021-07-01T00:00:00Z");
    expect(html).toContain("活动预告");
    expect(html).toContain("<p>识别下方二维码，立即报名。</p>");
    expect(html).toContain(`<a href="/articles/${event.slug}/event.ics">添加到日历</a>`);
  });

  it("after the event is a recap without the call to register or its missing QR code", async () => {
    const html = await page(event, "2026-12-02T00:30:00Z");
    expect(html).toContain("活动回顾");
    expect(html).toContain("本活动已于 2021 年 7 月 8 日—10 日 举行。");
    for (const phrase of ["立即报名", "二维码", "添加到日历"]) expect(html).not.toContain(phrase);
    // Every other sentence of the source is still there.
    expect(html).toContain("现场签到即可参与抽取。");
  });

  it("links the registration URL while registration is open", async () => {
    expect(await page(timed, "2026-12-01T00:00:00Z")).toContain('<a class="button" href="https://example.com/register?event=salon">立即报名</a>');
    expect(await page(timed, "2026-12-09T00:00:00Z")).not.toContain("立即报名");
  });

  it("shows the source's publication date and when the item was added here", async () => {
    const html = await page(interview, "2026-12-02T00:00:00Z");
    expect(html).toContain('原文发表于 <time datetime="2021-10-18T17:39:41+08:00">2021 年 10 月 18 日 17:39</time>');
    expect(html).toContain('本站收录于 <time datetime="2026-11-29T09:58:29+08:00">2026 年 11 月 29 日 09:58</time>');
  });
});

function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent("vevent");
  if (!vevent) throw new Error("no VEVENT");
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

const octets = (line: string) => new TextEncoder().encode(line).length;

describe("GET /articles/:slug/event.ics", () => {
  it("serves every event item's calendar, past ones too, as text/calendar that ical.js reads back", async () => {
    const res = await exports.default.fetch(CALENDAR_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.split("\r\n");
    expect(lines.every((line) => !line.includes("\n") && octets(line) <= 75)).toBe(true);
    expect(lines.some((line) => line.startsWith(" "))).toBe(true);

    const { calendar, vevent, event: parsed } = parseCalendar(text);
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(parsed.uid).toBe(event.id);
    expect(parsed.summary).toBe(event.title);
    // Whole days: DATE values, DTEND the day after the last day.
    expect(parsed.startDate.isDate).toBe(true);
    expect(parsed.startDate.toString()).toBe("2021-07-08");
    expect(parsed.endDate.toString()).toBe("2021-07-11");
    expect(vevent.getFirstPropertyValue("url")).toBe(`${site.url}/articles/${event.slug}`);
    expect(parsed.description).toContain(event.summary);
    expect(vevent.getFirstPropertyValue("dtstamp")?.toString()).toBe("2026-11-29T01:58:45Z");
  });

  it("answers 404 for an article that is no event and for an unknown slug", async () => {
    expect((await exports.default.fetch(`${site.url}/articles/${interview.slug}/event.ics`)).status).toBe(404);
    expect((await exports.default.fetch(`${site.url}/articles/no-such-event/event.ics`)).status).toBe(404);
  });

  it("gives timed events in Asia/Shanghai with a VTIMEZONE, and escapes and folds text exactly", () => {
    const tricky: ContentItem = {
      ...timed,
      title: "推理优化；缓存, 量化与 \\ 反斜杠",
      summary: `第一行\n第二行，${"很长的摘要".repeat(20)}`,
    };
    const { calendar, vevent, event: parsed } = parseCalendar(eventCalendar(tricky, tricky.event!, site.url));
    const zone = calendar.getFirstSubcomponent("vtimezone");
    if (!zone) throw new Error("no VTIMEZONE");
    ICAL.TimezoneService.register(zone);
    expect(vevent.getFirstProperty("dtstart")?.getParameter("tzid")).toBe("Asia/Shanghai");
    expect(parsed.startDate.zone?.tzid).toBe("Asia/Shanghai");
    expect(parsed.startDate.toJSDate().getTime()).toBe(Date.parse("2026-12-10T14:00:00+08:00"));
    expect(parsed.endDate.toJSDate().getTime()).toBe(Date.parse("2026-12-10T17:30:00+08:00"));
    expect(parsed.location).toBe("上海世博中心 3 层，B 厅");
    expect(parsed.summary).toBe(tricky.title);
    expect(parsed.description).toBe(
      `${tricky.summary}\n\n详情：${site.url}/articles/ai-salon-2026\n\n报名：https://example.com/register?event=salon`,
    );
  });

  it("escapes every line break (CRLF, CR, LF, NEL, U+2028, U+2029), so none starts a property of its own", () => {
    const breaks = ["\r\n", "\r", "\n", "\u0085", "\u2028", "\u2029"];
    const injected = (field: string) => breaks.map((br) => `${field}${br}ATTENDEE:mailto:evil@example.com`).join("");
    const hostile: ContentItem = {
      ...timed,
      title: injected("标题"),
      summary: injected("摘要"),
      event: { ...timed.event!, venue: injected("会场") },
    };
    const text = eventCalendar(hostile, hostile.event!, site.url);
    const lines = text.split("\r\n");
    // CR and LF only as the CRLF that ends a content line; no other line break at all.
    expect(lines.filter((line) => /[\r\n\u0085\u2028\u2029]/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.startsWith("ATTENDEE"))).toEqual([]);
    const { vevent, event: parsed } = parseCalendar(text);
    expect(vevent.getAllProperties("attendee")).toEqual([]);
    const readBack = (field: string) => breaks.map(() => `${field}\nATTENDEE:mailto:evil@example.com`).join("");
    expect(parsed.location).toBe(readBack("会场"));
    expect(parsed.summary).toBe(readBack("标题"));
    expect(parsed.description.startsWith(readBack("摘要"))).toBe(true);
  });

  it("folds every line of a calendar at 75 octets, never inside a UTF-8 character", () => {
    // 1-, 2-, 3- and 4-byte characters at every offset from the fold.
    const mixed = "aé汉😀".repeat(30);
    const item: ContentItem = { ...timed, title: mixed, summary: `x${mixed}`, event: { ...timed.event!, venue: `xy${mixed}` } };
    const text = eventCalendar(item, item.event!, site.url);
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
    for (const line of text.split("\r\n")) {
      const bytes = new TextEncoder().encode(line);
      expect(bytes.length).toBeLessThanOrEqual(75);
      // A line cut inside a character would not decode on its own.
      expect(decoder.decode(bytes)).toBe(line);
    }
    const { event: parsed } = parseCalendar(text);
    expect(parsed.summary).toBe(mixed);
    expect(parsed.location).toBe(`xy${mixed}`);
  });

  it("folds at 75 octets without splitting a character", () => {
    const line = `DESCRIPTION:${"汉".repeat(40)}`;
    const folded = foldLine(line).split("\r\n");
    expect(folded.every((part) => octets(part) <= 75)).toBe(true);
    expect(folded.slice(1).every((part) => part.startsWith(" "))).toBe(true);
    expect(folded.map((part, i) => (i === 0 ? part : part.slice(1))).join("")).toBe(line);
  });
});
