/**
 * What every email (and a digest's web version) is made of, as the clients that matter
 * read it: Outlook for Windows (fixed-width column, padding and fonts on cells, table
 * rules), Gmail (zh-CN on a wrapper it keeps, <title>), legible sizes, the plain-text
 * part a reader scans, a subscribe link for forwarded copies, and the spacing rule
 * between Chinese and Latin in every visible line.
 */
import { describe, expect, it } from "vitest";
import { themes } from "../emails/theme.ts";
import { items } from "../src/content/collection.ts";
import { digests, type Digest } from "../src/digests/catalog.ts";
import { personalize, renderDigest, renderWebVersion } from "../src/digests/render-digest.ts";
import Welcome from "../emails/welcome.tsx";
import { renderConfirmation, renderUnsubscribed, renderWelcome } from "../src/email/render-transactional.ts";
import { selectItems } from "../src/digests/select.ts";
import { cjkLatinSpacingViolations } from "../src/text/cjk-spacing.ts";

/** When these copies are sent: the seed's event is long over by then (a recap). */
const SENT_AT = new Date("2026-11-30T08:00:00+08:00");

const site = { url: "https://news.example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const edition = { id: "weekly-2026-11-30", date: "2026-11-30" };
const recipient = { unsubscribeUrl: `${site.url}/unsubscribe?token=u.1`, preferencesUrl: `${site.url}/preferences?token=p.1` };
const TIMEOUT = { timeout: 60_000 }; // React renders slowly in the test pool's development build.

interface Email {
  name: string;
  html: string;
  text: string;
}

async function digestEmail(digest: Digest): Promise<Email> {
  const rendered = await renderDigest(digest, selectItems(digest, items, null), edition, site, SENT_AT);
  return { name: `digest ${digest.id}`, ...personalize(rendered, recipient) };
}

async function transactional(): Promise<Email[]> {
  const confirm = await renderConfirmation({ confirmUrl: `${site.url}/confirm?token=a.b`, siteUrl: site.url, mailFrom: site.mailFrom, digestTitles: ["每周精选"] });
  const unsubscribed = await renderUnsubscribed({ siteUrl: site.url, mailFrom: site.mailFrom, resubscribeUrl: `${site.url}/#subscribe` });
  const welcome = await renderWelcome(Welcome.PreviewProps);
  return [
    { name: "confirm-subscription", ...confirm },
    { name: "unsubscribed", ...unsubscribed },
    { name: "welcome", ...welcome },
  ];
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/&#x27;/g, "'");
/** What a reader sees: the body without tags, hidden preheader and text-only lines included (they are text too). */
const visibleText = (html: string) => unescapeHtml(html.replace(/^[\s\S]*?<body/, "<body").replace(/<[^>]+>/g, "\n"));
const tags = (html: string, name: string) => [...html.matchAll(new RegExp(`<${name}(?=[\\s>])[^>]*>`, "g"))].map((m) => m[0]);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const px = (tag: string) => Number(/font-size:(\d+)px/.exec(tag)?.[1] ?? Number.NaN);

function expectOutlookReady(html: string) {
  // Outlook for Windows ignores max-width: a conditional 600 px table holds the column.
  expect(html).toContain('<!--[if mso]><table role="presentation" align="center" width="600"');
  expect(html).toContain("<!--[if mso]></td></tr></table><![endif]-->");
  expect(html).not.toContain("data-mso-column");
  // Padding only on cells; no <hr> or bordered <div> rules.
  for (const table of tags(html, "table")) expect(table).not.toMatch(/style="[^"]*padding/);
  expect(html).not.toMatch(/<hr|<div[^>]*(?:border|height:3px)/);
  // Every element that holds text names the CJK font for Outlook (the conditional wrapper and rule cells hold none).
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const name of ["td", "p", "h1", "h2", "a"]) {
    for (const tag of tags(withoutComments, name).filter((t) => !/font-size:0[;"]/.test(t))) expect(tag, tag).toMatch(/mso-fareast-font-family:(&quot;Microsoft YaHei&quot;|SimSun)/);
  }
}

function expectLegible(html: string) {
  for (const tag of tags(html, "p")) expect(px(tag), tag).toBeGreaterThanOrEqual(13);
  // Body paragraphs (not the muted meta lines) are at least 16 px.
  for (const tag of tags(html, "p").filter((t) => /class="em-text"/.test(t))) expect(px(tag), tag).toBeGreaterThanOrEqual(16);
  // Links: their own size, or the paragraph's, at least 14 px.
  for (const [, p] of html.matchAll(/(<p[^>]*>)(?:(?!<\/p>).)*?<a /gs)) expect(px(p ?? ""), p).toBeGreaterThanOrEqual(14);
  for (const a of tags(html, "a").filter((t) => /font-size/.test(t))) expect(px(a), a).toBeGreaterThanOrEqual(14);
}

function expectZhCn(html: string, title: string) {
  expect(html).toContain('<html dir="ltr" lang="zh-CN">');
  // Gmail drops <html>: a wrapper keeps the language.
  expect(html).toMatch(/<body[^>]*>[\s\S]*?<div lang="zh-CN" dir="ltr"/);
  expect(html).toContain(`<title>${title}</title>`);
}

function expectSpacingRule(email: Email) {
  for (const [part, text] of [["html", visibleText(email.html)], ["text", email.text]] as const) {
    const withoutUrls = text.replace(/https?:\/\/\S+/g, "");
    expect(cjkLatinSpacingViolations(withoutUrls), `${email.name} ${part}`).toEqual([]);
  }
}

describe("every digest", () => {
  for (const digest of digests) {
    it(`${digest.id}: is ready for Outlook, legible, zh-CN with a title, and spaced by the rule`, TIMEOUT, async () => {
      const email = await digestEmail(digest);
      expectOutlookReady(email.html);
      expectLegible(email.html);
      expectZhCn(email.html, `${digest.title} · 2026 年 11 月 30 日 · AI 前沿精选`);
      expectSpacingRule(email);
      expect(themes[digest.theme].typography.baseSize).toBeGreaterThanOrEqual(16);
    });
  }

  it("offers readers of a forwarded copy the subscribe form with its digest checked, next to the recipient's own unsubscribe link", TIMEOUT, async () => {
    const digest = digests[0] as Digest;
    const email = await digestEmail(digest);
    const subscribe = `${site.url}/?digest=${digest.id}#subscribe`;
    expect(email.html).toMatch(
      new RegExp(`href="${escapeRegExp(recipient.unsubscribeUrl)}"[^>]*>退订</a>[\\s\\S]{0,2000}href="${escapeRegExp(subscribe)}"[^>]*>被转发？订阅</a>`),
    );
    expect(email.text).toContain(`被转发？订阅 ${subscribe}`);
    expect(email.text).toContain("你收到这封邮件，是因为你订阅了 AI 前沿精选的");
  });

  it("has a plain-text part with numbered items, a separator between them, and one link per line", TIMEOUT, async () => {
    const weekly = digests.find((d) => d.id === "weekly") as Digest;
    const selected = selectItems(weekly, items, null);
    expect(selected.length).toBeGreaterThan(1);
    const { text } = await digestEmail(weekly);
    const separator = "-".repeat(40);
    selected.forEach((item, index) => {
      expect(text).toContain(`${index + 1}. ${item.title} ${site.url}/articles/${item.slug}`);
      if (index > 0) expect(text).toMatch(new RegExp(`${separator}\\n\\n${index + 1}\\. `));
    });
    expect(text).not.toMatch(new RegExp(`${separator}\\n\\n1\\. `));
    for (const line of text.split("\n")) expect(line.match(/https?:\/\//g)?.length ?? 0, line).toBeLessThanOrEqual(1);
    // The footer's links, each on its own line.
    for (const label of ["退订", "管理订阅", "被转发？订阅", "全部简报", "访问网站"]) expect(text).toMatch(new RegExp(`^${label} https?://\\S+$`, "m"));
    // Nothing in the rendered email shows only in the plain-text part.
    expect(text).not.toContain("\u00a0");
  });

  it("has a web version with its own title and the zh-CN wrapper", TIMEOUT, async () => {
    const digest = digests[0] as Digest;
    const html = await renderWebVersion(digest, selectItems(digest, items, null), edition, site, SENT_AT);
    expectZhCn(html, `${digest.title} · 2026 年 11 月 30 日 · AI 前沿精选`);
    expectOutlookReady(html);
  });
});

const TRANSACTIONAL_TITLES: Record<string, string> = {
  "confirm-subscription": "请确认订阅「AI 前沿精选」",
  unsubscribed: "你已退订「AI 前沿精选」",
  welcome: "欢迎订阅「AI 前沿精选」",
};

describe("transactional emails", () => {
  it("are ready for Outlook, legible, zh-CN with a title, spaced by the rule, and never point at a button the text part lacks", TIMEOUT, async () => {
    for (const email of await transactional()) {
      expectOutlookReady(email.html);
      expectLegible(email.html);
      expectZhCn(email.html, TRANSACTIONAL_TITLES[email.name] ?? "");
      expectSpacingRule(email);
      expect(`${email.html}\n${email.text}`).not.toMatch(/下面的按钮|下方的按钮|点击按钮/);
    }
  });
});
