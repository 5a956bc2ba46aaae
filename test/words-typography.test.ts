/**
 * Words and typography: the quote and interpunct rules (applied by curation, enforced by
 * the content build), 简报 for the newsletter and 摘要 for a summary, the ended one-off
 * digest not offered anywhere, and the typesetting a reader sees: text-wrap on the web's
 * headings and quotes, short names and a pull quote's last characters kept together in email.
 */
import { describe, expect, it } from "vitest";
import { ContentError, compileItem } from "../scripts/content/compile.ts";
import { items } from "../src/content/collection.ts";
import { digests, getDigest } from "../src/digests/catalog.ts";
import { renderDigest } from "../src/digests/render-digest.ts";
import { selectItems } from "../src/digests/select.ts";
import { cornerQuotes, punctuationProblems, tidyInterpuncts } from "../src/text/cjk-punctuation.ts";
import interviewSource from "../content/zhang-hongjiang-interview.md?raw";
import { activeSubscriber, call, freshEmail } from "./subscribe-helpers.ts";

const site = { url: "http://example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };

describe("quotes and the interpunct", () => {
  it("makes curly and corner quotes 「」 outside and 『』 inside, and leaves unpaired quotes to a person", () => {
    expect(cornerQuotes("他说：“我们要做“心魔”之外的事。”").text).toBe("他说：「我们要做『心魔』之外的事。」");
    expect(cornerQuotes("「外「中「内」」」").text).toBe("「外『中「内」』」");
    expect(cornerQuotes("已经是「对的『引号』」").changes).toBe(0);
    expect(cornerQuotes("少了一半“引号").text).toBe("少了一半“引号");
  });

  it("joins an interpunct with a space on one side only, and keeps a separator with one on each side", () => {
    expect(tidyInterpuncts("WAIC· 开发者黑客松和 WAIC ·云帆奖").text).toBe("WAIC·开发者黑客松和 WAIC·云帆奖");
    expect(tidyInterpuncts("闻菲 · 机器之心").changes).toBe(0);
  });

  it("names each break of the rules", () => {
    expect(punctuationProblems("“悟道”、「外「内」」、WAIC· 开发者")).toEqual([
      'curly quote in "“悟道”、「外「": use 「」 (『』 inside 「」)',
      'curly quote in "“悟道”、「外「内」」": use 「」 (『』 inside 「」)',
      '"悟道”、「外「内」」、WAI": a quote at this depth opens with 『',
      '"」」、WAIC· 开发者": a space on one side of · only (no spaces in a name, one on each side between fields)',
    ]);
    expect(punctuationProblems("「外『内』」 · 闻菲·机器之心")).toEqual([]);
  });

  it("stops the content build at curly quotes, a wrongly nested quote or a lopsided interpunct, naming the field", () => {
    const source = interviewSource
      .replaceAll("「悟道」巨模型", "“悟道”巨模型")
      .replace("有了『心魔』", "有了「心魔」")
      .replace(/^author: .*$/m, "author: 闻菲 ·机器之心");
    let error: unknown;
    try {
      compileItem("content/x.md", source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ContentError);
    const message = (error as Error).message;
    expect(message).toContain('field "summary": curly quote in');
    expect(message).toContain('field "body": curly quote in');
    expect(message).toContain('field "highlights.4": "');
    expect(message).toContain("a quote at this depth opens with 『");
    expect(message).toContain('field "author": "闻菲 ·机器之心": a space on one side of · only');
    expect(() => compileItem("content/x.md", interviewSource)).not.toThrow();
  });

  it("the shipped content keeps the rules (the build checks every field; here, what it compiled)", () => {
    for (const item of items) {
      const text = [item.title, item.summary, item.text, ...item.highlights, item.author, item.source.name].join("\n");
      expect(punctuationProblems(text), item.slug).toEqual([]);
    }
    for (const digest of digests) expect(punctuationProblems(`${digest.title}\n${digest.description ?? ""}\n${digest.intro}`), digest.id).toEqual([]);
  });
});

describe("one word per concept", () => {
  const pages = ["/", "/digests", "/digests/weekly"];

  it("calls the newsletter 简报 on the site and in every email; 摘要 is only ever a summary", async () => {
    for (const path of pages) {
      const html = await (await call(path)).text();
      expect(html, path).toContain("简报");
      expect(html, path).not.toMatch(/邮件摘要|选择摘要|全部摘要|精选摘要/);
    }
    for (const digest of digests) {
      const rendered = await renderDigest(digest, selectItems(digest, items, null), { id: "x", date: "2026-11-30" }, site, new Date("2026-11-30T00:00:00Z"));
      for (const part of [rendered.html, rendered.text]) expect(part).not.toMatch(/(?:订阅|全部|退订|邮件|精选)摘要|摘要邮件/u);
      expect(rendered.text).toContain("全部简报");
    }
    // The weekly digest's own words: its items come with a summary (摘要).
    expect(getDigest("weekly")?.description).toContain("每篇附摘要");
  });
});

describe("an ended one-off digest", () => {
  const waic = getDigest("waic-forum");

  it("is marked ended, and is not offered on the home page's form, the preferences page nor /digests' running list", async () => {
    expect(waic?.ended).toBe(true);
    const home = await (await call("/")).text();
    expect(home).not.toContain('value="waic-forum"');
    expect(home).not.toContain("每周三 08:30");
    const list = await (await call("/digests")).text();
    const [running, ended] = list.split("<h2>已结束</h2>");
    expect(running).not.toContain("WAIC AI 开发者论坛");
    expect(ended).toContain("<strong>WAIC AI 开发者论坛</strong>");
    const { preferences } = await activeSubscriber(freshEmail("ended"));
    expect(await (await call(preferences)).text()).not.toContain('value="waic-forum"');
    const archive = await (await call("/digests/waic-forum")).text();
    expect(archive).toContain("<strong>已结束</strong> · 不再发送，也不能再订阅；往期仍可阅读。");
    expect(archive).not.toContain("/digests/waic-forum/preview");
  });

  it("cannot be subscribed to by name, from the form or the API", async () => {
    const form = await call("/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "203.0.113.201" },
      body: "email=late%40example.com&digests-offered=1&digests=waic-forum",
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain("「WAIC AI 开发者论坛」已结束，不再发送，请选择其他简报。");
    const api = await call("/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.202" },
      body: JSON.stringify({ email: "late@example.com", digests: ["waic-forum"] }),
    });
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({ error: { code: "invalid_request", message: 'digest "waic-forum" has ended and can no longer be subscribed to' } });
  });
});

describe("typesetting", () => {
  it("sets headings and quotes on the web with text-wrap: pretty", async () => {
    for (const path of ["/", "/articles/zhang-hongjiang-interview", "/digests"]) {
      expect(await (await call(path)).text(), path).toContain("h1,h2,h3,blockquote,figcaption{text-wrap:pretty}");
    }
  });

  it("keeps short names and a pull quote's last characters on one line in email, and leaves the text part as it was", async () => {
    const digest = getDigest("interview-highlights")!;
    const chosen = selectItems(digest, items, null);
    const rendered = await renderDigest(digest, chosen, { id: "x", date: "2026-11-30" }, site, new Date("2026-11-30T00:00:00Z"));
    const nowrap = (text: string) => `<span style="white-space:nowrap">${text}</span>`;
    // The byline, the intro's mention of the source and the site's name.
    expect(rendered.html).toContain(`${nowrap("闻菲")} · ${nowrap("机器之心")} · `);
    expect(rendered.html).toContain(`本期摘录${nowrap("机器之心")}对智源研究院`);
    // 「投钱给科学是做公益，不能功利。」 never ends on a line of 利。」 alone.
    expect(rendered.html).toContain(`「投钱给科学是做公益，不能${nowrap("功利。」")}`);
    expect(rendered.html).toContain(`甚至开创新的${nowrap("领域。」")}`);
    expect(rendered.text).toContain("「投钱给科学是做公益，不能功利。」");
    expect(rendered.text).toContain("闻菲 · 机器之心 · 原文发表于");
  });
});
