/**
 * Every digest rendered in the Workers runtime, as a subscriber receives it: Chinese
 * content present, every link absolute and served by this app, a complete text part,
 * within Gmail's size limit, and per-recipient links spliced in without a re-render.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { themeNames, themes } from "../emails/theme.ts";
import { items } from "../src/content/collection.ts";
import { digests, getDigest, type Digest } from "../src/digests/catalog.ts";
import { personalize, RECIPIENT_PLACEHOLDERS, renderDigest, type RenderedDigest } from "../src/digests/render-digest.ts";
import { selectItems } from "../src/digests/select.ts";
import { renderConfirmation, renderUnsubscribed } from "../src/email/render-transactional.ts";

const site = { url: "http://example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const edition = { id: "2026-11-30-weekly", date: "2026-11-30" };
/** The edition's send time: the WAIC forum (July 2021) is long over by then. */
const SENT_AT = new Date("2026-11-30T00:00:00Z");
const recipient = {
  unsubscribeUrl: `${site.url}/unsubscribe?token=eyJzIjo0Mn0.c2lnbmF0dXJl`,
  preferencesUrl: `${site.url}/preferences?token=eyJzIjo0Mn0.b3RoZXI`,
};

function mustGetDigest(id: string): Digest {
  const digest = getDigest(id);
  if (!digest) throw new Error(`digest "${id}" is missing: run npm run build:content`);
  return digest;
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => unescapeHtml(m[1] ?? ""));
const textWithoutTags = (html: string) => unescapeHtml(html.replace(/<[^>]+>/g, ""));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const bytes = (s: string) => new TextEncoder().encode(s).length;
const isRecipientLink = (href: string) => href === recipient.unsubscribeUrl || href === recipient.preferencesUrl;

/** Every link must be absolute on the site and answered by a real route of this app (token links: the right route). */
async function expectLinksServed(links: string[]) {
  for (const href of new Set(links)) {
    expect(href, href).toMatch(/^http:\/\/example\.com\//);
    if (isRecipientLink(href)) continue;
    const res = await exports.default.fetch(href);
    expect(res.status, `${href} answered ${res.status}`).not.toBe(404);
    expect(res.status, `${href} answered ${res.status}`).toBeLessThan(400);
  }
}

function expectWellFormed(rendered: { subject?: string; html: string; text: string }) {
  const { html, text } = rendered;
  expect(html).toContain('<html dir="ltr" lang="zh-CN"');
  expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
  expect(html).toContain('<meta name="supported-color-schemes" content="light dark"/>');
  expect(html).toContain("PingFang SC");
  expect(html).toContain("Microsoft YaHei");
  expect(html).toContain("max-width:600px");
  expect(html).not.toMatch(/<script|<link[^>]*stylesheet|@import/i);
  for (const img of html.match(/<img[^>]*>/g) ?? []) expect(img).toMatch(/alt="[^"]+"/);
  for (const part of [rendered.subject ?? "", html, text]) expect(part).not.toMatch(/undefined|NaN|\[object Object\]|null/);
  expect(bytes(html)).toBeLessThan(102 * 1024);
  expect(text).toContain("发件人：AI 前沿精选（digest@example.com）");
}

async function renderForRecipient(digest: Digest, theme?: (typeof themeNames)[number]) {
  const rendered = await renderDigest(digest, selectItems(digest, items, null), edition, site, SENT_AT, theme ? { theme } : {});
  return { rendered, copy: personalize(rendered, recipient) };
}

describe.each(digests.map((d) => [d.id, d] as const))("digest %s", (_id, digest) => {
  it("renders a complete, well-formed email whose every link works", async () => {
    const { rendered, copy } = await renderForRecipient(digest);
    const lead = selectItems(digest, items, null)[0]!;
    // The subject holds the lead (its title, or the title's start up to a natural break); see inbox-line.test.ts.
    expect(rendered.subject).toContain(lead.title.slice(0, 5));
    expectWellFormed({ subject: rendered.subject, ...copy });

    // The preheader is the hidden first text of the body: the lead's summary, then padding
    // (zero-width characters), so clients show no body text after it.
    expect(lead.summary).toContain(rendered.preheader.replace(/^\d{4} 年回顾：/, "").replace(/…$/, ""));
    expect(copy.html).toMatch(
      new RegExp(`<div [^>]*data-skip-in-text="true"[^>]*>${escapeRegExp(rendered.preheader)}<div>(\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff){80,}</div>`),
    );

    // Visible unsubscribe and view-in-browser links, and the same links in the text part.
    const links = hrefs(copy.html);
    expect(copy.html).toContain(`href="${recipient.unsubscribeUrl}"`);
    expect(textWithoutTags(copy.html)).toContain("退订");
    expect(links).toContain(`${site.url}/digests/${digest.id}/editions/${edition.id}`);
    for (const href of links) expect(copy.text, `text part lacks ${href}`).toContain(href);
    await expectLinksServed(links.filter((href) => !href.includes(`/editions/${edition.id}`)));
    // The web version link names this edition, which is not stored here: only its route shape is checked.
    expect(links.filter((href) => href.includes("/editions/"))).toEqual([`${site.url}/digests/${digest.id}/editions/${edition.id}`]);

    // Every selected item is there with its title and full-article link.
    for (const item of selectItems(digest, items, null)) {
      expect(copy.text).toContain(item.title);
      expect(links).toContain(`${site.url}/articles/${item.slug}`);
    }
  });
});

describe("digest content", () => {
  it("carries the interview's highlights in Chinese, in both parts, with a short intro and the full article link", async () => {
    const digest = mustGetDigest("interview-highlights");
    const { copy } = await renderForRecipient(digest);
    const interview = items.find((item) => item.slug === "zhang-hongjiang-interview");
    expect(interview?.highlights.length).toBeGreaterThan(2);
    for (const quote of interview?.highlights ?? []) {
      expect(textWithoutTags(copy.html)).toContain(quote);
      expect(copy.text).toContain(quote);
    }
    expect(copy.text).toContain("「智源模式」");
    expect(copy.text).toContain(`在网站上阅读全文 → ${site.url}/articles/zhang-hongjiang-interview`);
  });

  it("gives the WAIC forum's dates, sessions, topics and prizes, once each, as a recap in 2026", async () => {
    const { copy } = await renderForRecipient(mustGetDigest("waic-forum"));
    expect(copy.text).toContain("活动回顾");
    expect(copy.text).toContain("本活动已于 2021 年 7 月 8 日—10 日 举行。");
    expect(copy.text).toContain("日程：2021 年 7 月 10 日　WAIC AI 开发者论坛");
    for (const topic of ["大规模语言智能", "SysML（机器学习系统）", "RISC-V 技术及生态", "AI 原生计算机系统"]) expect(copy.text).toContain(topic);
    for (const prize of ["RTX 3060 显卡", "HHKB 键盘", "Air Tag", "人工智能专业书籍", "桌搭鼠标垫"]) {
      expect(copy.text.split(prize)).toHaveLength(2);
    }
    expect(copy.text).toContain(`在网站上阅读活动回顾 → ${site.url}/articles/waic-ai-developer-forum-2021`);
    for (const call of ["活动预告", "报名", "添加到日历", "距活动开始"]) expect(copy.text).not.toContain(call);
  });

  it("keeps headings as written in the text part instead of upper-casing them", async () => {
    const [first] = items;
    if (!first) throw new Error("no content items: run npm run build:content");
    const rendered = await renderDigest(mustGetDigest("weekly"), [{ ...first, title: "Transformer 模型的 scaling law" }], edition, site, SENT_AT);
    expect(rendered.text).toContain("Transformer 模型的 scaling law");
    expect(rendered.text).toContain("每周精选");
  });

  it("says so when an edition has no items", async () => {
    const rendered = await renderDigest(mustGetDigest("weekly"), [], edition, site, SENT_AT);
    expect(rendered.text).toContain("本期暂无新内容。");
  });
});

describe("themes", () => {
  it("are data that differ in colours, typography and layout", () => {
    const [highlights, event] = [themes.highlights, themes.event];
    expect(highlights.light.accent).not.toBe(event.light.accent);
    expect(highlights.light.background).not.toBe(event.light.background);
    expect(highlights.typography.heading).not.toBe(event.typography.heading);
    expect(highlights.layout).not.toBe(event.layout);
  });

  it("change what the same edition looks like", async () => {
    const digest = mustGetDigest("interview-highlights");
    const rendered = Object.fromEntries(
      await Promise.all(themeNames.map(async (name) => [name, (await renderForRecipient(digest, name)).copy.html] as const)),
    );
    for (const name of themeNames) {
      expect(rendered[name]).toContain(themes[name].light.accent);
      for (const other of themeNames.filter((n) => n !== name)) expect(rendered[name]).not.toContain(themes[other].light.accent);
    }
    // highlights: large serif pull quotes; event: the title on an accent band.
    expect(rendered.highlights).toContain(`font-size:${themes.highlights.typography.baseSize + 3}px`);
    expect(rendered.event).toMatch(new RegExp(`class="em-pad em-band"[^>]*background-color:${themes.event.light.accent}`));
    expect(rendered.highlights).not.toContain("em-pad em-band");
  });

  it("carry a dark palette for clients that honour prefers-color-scheme", async () => {
    const { copy } = await renderForRecipient(mustGetDigest("waic-forum"));
    expect(copy.html).toContain("@media (prefers-color-scheme: dark)");
    expect(copy.html).toContain(`.em-surface { background-color: ${themes.event.dark.surface} !important; }`);
  });
});

describe("personalize", () => {
  let rendered: RenderedDigest;

  it("puts each recipient's own links where the placeholders were, in both parts", async () => {
    rendered = await renderDigest(mustGetDigest("weekly"), items, edition, site, SENT_AT);
    expect(rendered.html).toContain(RECIPIENT_PLACEHOLDERS.unsubscribeUrl);
    expect(rendered.text).toContain(RECIPIENT_PLACEHOLDERS.preferencesUrl);
    const first = personalize(rendered, recipient);
    const second = personalize(rendered, { unsubscribeUrl: `${site.url}/unsubscribe?token=b`, preferencesUrl: `${site.url}/preferences?token=b` });
    for (const copy of [first, second]) {
      for (const part of [copy.html, copy.text]) expect(part).not.toContain("recipient.invalid");
    }
    expect(first.text).toContain(`退订 ${recipient.unsubscribeUrl}`);
    expect(first.text).toContain(`管理订阅 ${recipient.preferencesUrl}`);
    expect(second.html).toContain(`href="${site.url}/unsubscribe?token=b"`);
    expect(second.html).not.toContain(recipient.unsubscribeUrl);
    // Nothing else changes: removing the links gives back the same document.
    expect(first.html.replaceAll(recipient.unsubscribeUrl, "U").replaceAll(recipient.preferencesUrl, "P")).toBe(
      rendered.html.replaceAll(RECIPIENT_PLACEHOLDERS.unsubscribeUrl, "U").replaceAll(RECIPIENT_PLACEHOLDERS.preferencesUrl, "P"),
    );
  });

  it("escapes a link for the HTML attribute and keeps it raw in the text", () => {
    const copy = personalize(rendered, { unsubscribeUrl: `${site.url}/unsubscribe?a=1&b="2"`, preferencesUrl: recipient.preferencesUrl });
    expect(copy.html).toContain('href="http://example.com/unsubscribe?a=1&amp;b=&quot;2&quot;"');
    expect(copy.text).toContain('http://example.com/unsubscribe?a=1&b="2"');
  });

  it("works on an edition that travelled as JSON (a queue message)", () => {
    const travelled = JSON.parse(JSON.stringify(rendered)) as RenderedDigest;
    expect(personalize(travelled, recipient)).toEqual(personalize(rendered, recipient));
  });
});

describe("transactional templates", () => {
  it("link only to routes of this app", async () => {
    const confirm = await renderConfirmation({
      confirmUrl: `${site.url}/confirm?token=abc`,
      siteUrl: site.url,
      mailFrom: site.mailFrom,
      digestTitles: digests.map((d) => d.title),
    });
    const unsubscribed = await renderUnsubscribed({ siteUrl: site.url, mailFrom: site.mailFrom, resubscribeUrl: `${site.url}/#subscribe` });
    for (const email of [confirm, unsubscribed]) {
      expectWellFormed(email);
      for (const href of hrefs(email.html)) expect(email.text).toContain(href);
    }
    await expectLinksServed(hrefs(unsubscribed.html));
    await expectLinksServed(hrefs(confirm.html).filter((href) => !href.includes("/confirm?token=")));
    expect(hrefs(confirm.html)).toContain(`${site.url}/confirm?token=abc`);
  });
});
