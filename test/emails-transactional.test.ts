import { describe, expect, it } from "vitest";
import { renderConfirmation, renderUnsubscribed } from "../src/email/render-transactional.ts";

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

describe("transactional emails", () => {
  it("confirmation carries the confirm link in both parts and names the digests", async () => {
    const confirmUrl = `${site}/confirm?token=abc.def`;
    const email = await renderConfirmation({ confirmUrl, siteUrl: site, mailFrom, digestTitles: ["每周精选", "访谈精选"] });
    expect(email.subject).toBe("请确认订阅「AI 前沿精选」");
    expectWellFormedEmail(email.html, email.text);
    expect(email.html).toContain(`href="${confirmUrl}"`);
    expect(email.text).toContain(confirmUrl);
    expect(email.text).toContain("「每周精选」、「访谈精选」");
    expect(email.text).toContain("请确认你的订阅");
  });

  it("unsubscribed confirmation offers the way back", async () => {
    const resubscribeUrl = `${site}/#subscribe`;
    const email = await renderUnsubscribed({ siteUrl: site, mailFrom, resubscribeUrl });
    expect(email.subject).toBe("你已退订「AI 前沿精选」");
    expectWellFormedEmail(email.html, email.text);
    expect(email.html).toContain(`href="${resubscribeUrl}"`);
    expect(email.text).toContain(resubscribeUrl);
    expect(email.text).toContain("你已退订");
  });
});
