/**
 * Curation emits text and safe Markdown only (issue 18, point 7): markup that a saved page
 * shows as text stays text, and links or images with a script or data URL keep only their
 * text. Checked in the Markdown written and in the HTML the content build makes of it.
 */
import { describe, expect, it } from "vitest";
import { compileItem } from "../../scripts/content/compile.ts";
import { isSafeUrl } from "../../scripts/curate/safe-markdown.ts";
import { bodyOf, curateText, fillTodos } from "./curate-helpers.ts";

const UNSAFE_URLS = [
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "\tjava\nscript:alert(1)",
  "jav&#x09;ascript:alert(1)",
  "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
  "javascript&colon;alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "vbscript:msgbox(1)",
  "livescript:alert(1)",
];
const SAFE_URLS = ["https://example.com/a?b=c", "http://example.com", "mailto:editor@example.com", "/relative/path", "page.html#part", "//cdn.example.com/x.png"];

const PARAGRAPH = "星海市的图书馆今年延长了开放时间，每天晚上十点才闭馆，自习室的座位也增加了一倍。";

function page(body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>图书馆延长开放时间</title><meta property="og:title" content="图书馆延长开放时间"></head><body><article><h1>图书馆延长开放时间</h1><p>发表于 2024-02-26 14:05</p>${body}<p>${PARAGRAPH}</p><p>管理员说，读者可以在网上预约座位，也可以到服务台现场登记，两种方式都不收费。</p></article></body></html>`;
}

/** The item's body as the content build renders it (after a person filled in the TODOs). */
function publishedHtml(markdown: string): string {
  return compileItem("safety.md", fillTodos(markdown, 1)).html;
}

describe("isSafeUrl", () => {
  it.each(UNSAFE_URLS)("refuses %j", (url) => expect(isSafeUrl(url)).toBe(false));
  it.each(SAFE_URLS)("accepts %j", (url) => expect(isSafeUrl(url)).toBe(true));
});

describe("a saved page with escaped markup and hostile links", () => {
  const links = UNSAFE_URLS.map((url, i) => `<a href="${url.replace(/"/g, "&quot;")}">链接${"甲乙丙丁戊己庚辛壬癸"[i]}</a>`).join("，");
  const html = page(
    `<p>有读者在留言里贴了一段代码：&lt;script&gt;alert(1)&lt;/script&gt;，还有一张图片 &lt;img src=x onerror=alert(1)&gt;，都被当成了文字。</p>` +
      `<p>相关链接：${links}，以及<a href="https://example.com/library">图书馆官网</a>。</p>` +
      `<p><img src="javascript:alert(1)" alt="一张图"><img src="https://img.example.com/ok.jpg" alt=""></p>`,
  );
  const { items, report } = curateText(html, "hostile.html");
  const markdown = items[0]?.markdown ?? "";

  it("keeps the escaped markup as text, never as HTML", () => {
    const body = bodyOf(markdown);
    expect(body).not.toMatch(/<script|<img/i);
    expect(body).toContain("&lt;script>alert(1)&lt;/script>");
    const rendered = publishedHtml(markdown);
    expect(rendered).not.toMatch(/<script|<img[^>]*onerror/i);
    expect(rendered).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("drops every script and data link, keeping its text, and keeps the safe one", () => {
    const body = bodyOf(markdown);
    for (let i = 0; i < UNSAFE_URLS.length; i++) expect(body).toContain(`链接${"甲乙丙丁戊己庚辛壬癸"[i]}`);
    expect(body).not.toMatch(/javascript|vbscript|livescript|data:|&#/i);
    expect(body).toContain("[图书馆官网](https://example.com/library)");
    expect(publishedHtml(markdown)).not.toMatch(/href="(?!https:)/);
  });

  it("drops an image with a script address, keeping the safe one", () => {
    expect(markdown).not.toContain("javascript");
    expect(bodyOf(markdown)).toContain("![](https://img.example.com/ok.jpg)");
  });

  it("still keeps every sentence", () => {
    expect(report.sentences.missing).toEqual([]);
    expect(report.rules["safe-markdown"]).toBeGreaterThan(0);
  });
});

describe("a text scrape or an item with raw markup", () => {
  it.each([
    ["a text scrape", `图书馆延长开放时间\n发表于 2024-02-26 14:05\n<script>alert(1)</script>${PARAGRAPH}\n[官网](JaVaScRiPt:alert(1)) 和 [预约](  javascript:alert(1)) 和 [说明](data:text/html,<b>x</b>) 和 [旧版](vbscript:msgbox(1))。\n<img src=x onerror=alert(1)>管理员说，读者可以在网上预约座位。\n`, "scrape.txt"],
    ["a Markdown item", `---\ntitle: "图书馆延长开放时间"\nslug: "library"\n---\n\n<script>alert(1)</script>${PARAGRAPH}\n\n[官网](JaVaScRiPt:alert(1)) 和 [预约](  javascript:alert(1)) 和 [说明](data:text/html,<b>x</b>) 和 [旧版](vbscript:msgbox(1))。\n\n[ref]: javascript:alert(1)\n\n<img src=x onerror=alert(1)>管理员说，读者可以在网上预约座位。\n`, "library.md"],
  ])("comes out as text in %s", (_, text, file) => {
    const { items } = curateText(text, file);
    const body = bodyOf(items[0]?.markdown ?? "");
    expect(body).not.toMatch(/<script|<img|<b>|javascript|vbscript|data:text/i);
    for (const label of ["官网", "预约", "说明", "旧版"]) expect(body).toContain(label);
    expect(body).toContain("&lt;script>alert(1)&lt;/script>");
  });
});
