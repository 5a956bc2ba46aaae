import { describe, expect, it } from "vitest";
import { renderConfirmation, renderUnsubscribed, renderWelcome } from "../src/email/render-transactional.ts";

const site = "https://news.example.com";
const mailFrom = "AI 前沿精选 <digest@example.com>";

function expectWellFormedEmail(html: string, text: string) {
  expect(html).toContain('lang="zh-CN"');
  expect(html).toContain('name="color-scheme"');
  expect(html).toContain("PingFang SC");
  expect(html).not.toMatch(/<link[^>]+stylesheet|<script/i);
  for (const part of [html, text]) expect(part).not.toMatch(/undefined|NaN|\[object Object\]/);
  expect(new TextEncoder().encode(html).length).toBeLessThan(102 * 1024);
  expect(text).toContain("发件人：AI 前沿精选（digest@example.com）");
}

/** A well-formed email with this subject, whose HTML and text parts both carry the link. */
function expectEmailWithLink(email: { subject: string; html: string; text: string }, subject: string, url: string) {
  expect(email.subject).toBe(subject);
  expectWellFormedEmail(email.html, email.text);
  expect(email.html).toContain(`href="${url}"`);
  expect(email.text).toContain(url);
}

describe("transactional emails", () => {
  it("confirmation carries the confirm link in both parts and names the digests", async () => {
    const confirmUrl = `${site}/confirm?token=abc.def`;
    const email = await renderConfirmation({ confirmUrl, siteUrl: site, mailFrom, digestTitles: ["每周精选", "访谈精选"] });
    expectEmailWithLink(email, "请确认订阅「AI 前沿精选」", confirmUrl);
    expect(email.text).toContain("「每周精选」、「访谈精选」");
    expect(email.text).toContain("请确认你的订阅");
  });

  it("unsubscribed confirmation offers the way back", async () => {
    const resubscribeUrl = `${site}/#subscribe`;
    const email = await renderUnsubscribed({ siteUrl: site, mailFrom, resubscribeUrl });
    expectEmailWithLink(email, "你已退订「AI 前沿精选」", resubscribeUrl);
    expect(email.text).toContain("你已退订");
  });

  it("welcome says when the first email comes and links each digest's latest edition, or says none is out yet", async () => {
    const latest = `${site}/digests/weekly/editions/weekly-2026-11-30`;
    const email = await renderWelcome({
      siteUrl: site,
      mailFrom,
      digests: [
        { title: "每周精选", schedule: "每周一 08:00（北京时间）", latestEditionUrl: latest },
        { title: "访谈精选", schedule: "每周五 09:00（北京时间）", latestEditionUrl: null },
      ],
      firstEmail: "12 月 7 日（周一）08:00（北京时间）收到第一封《每周精选》",
      preferencesUrl: `${site}/preferences?token=p.q`,
      unsubscribeUrl: `${site}/unsubscribe?token=u.v`,
    });
    expectEmailWithLink(email, "欢迎订阅「AI 前沿精选」", latest);
    expect(email.text).toContain("阅读最近一期「每周精选」");
    expect(email.text).toContain("你将在 12 月 7 日（周一）08:00（北京时间）收到第一封《每周精选》。");
    expect(email.text).toContain("第一期发出后会直接送到你的邮箱。");
    expect(email.html).toContain(`href="${site}/unsubscribe?token=u.v"`);
  });
});
