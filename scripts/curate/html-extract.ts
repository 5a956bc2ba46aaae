/**
 * A saved HTML page → the article as Markdown plus the page's metadata. The DOM is linkedom
 * (light, no browser); chrome the page marks up as such (QR codes, share bars, comments,
 * related posts, Discuz replies) is removed first so the report can name it, then
 * @mozilla/readability picks the article and turndown converts it, keeping headings, lists,
 * quotes, links and figures with their captions.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";
import { beijingTime, instantInBeijing, mergeMeta, metaFromLine, type PageMeta } from "./metadata.ts";
import type { Removal } from "./removal.ts";

export interface HtmlArticle {
  meta: PageMeta;
  markdown: string;
  /** The article's text as extracted, before conversion: what the sentence check starts from. */
  text: string;
  removed: Removal[];
}

type Doc = ReturnType<typeof parseHTML>["document"];
type El = NonNullable<ReturnType<Doc["querySelector"]>>;

const CHROME_SELECTORS: [string, string][] = [
  ['#js_pc_qr_code, .qr_code_pc, [class*="qrcode"], [id*="qrcode"], [class*="qr_code"]', "二维码"],
  ['#js_share, .share, [class*="share-"], [class*="bdshare"]', "分享栏"],
  ['#comments, [class*="comment"], [id*="comment"]', "评论区"],
  ['[class*="related"], [id*="related"], .recommend', "相关文章"],
  ["nav, header, footer, #nav, .nav, .breadcrumb, #footer, .footer", "导航与页眉页脚"],
  ["#toptb, #pt, #f_pst, #ft", "论坛页眉页脚"],
];

const snippet = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim().slice(0, 80);
const attr = (doc: Doc, selector: string, name: string) => doc.querySelector(selector)?.getAttribute(name)?.trim() || undefined;
const text = (doc: Doc, selector: string) => doc.querySelector(selector)?.textContent?.trim() || undefined;

/** A page's single <h1> is its article title; <title> often carries the site name too. */
function onlyHeading(doc: Doc): string | undefined {
  const headings = [...doc.querySelectorAll("h1")] as El[];
  return headings.length === 1 ? headings[0]?.textContent?.trim() || undefined : undefined;
}

/** Facts the page marks up: Open Graph and article meta tags, WeChat and Discuz elements. */
function markedUpMeta(doc: Doc, html: string): PageMeta {
  const weChatTime = /var\s+ct\s*=\s*"(\d{9,})"/.exec(html)?.[1];
  const publishedAt = attr(doc, 'meta[property="article:published_time"]', "content");
  const visibleTime = text(doc, "#publish_time") ?? text(doc, '[id^="authorposton"]');
  const meta: PageMeta = {
    title: attr(doc, 'meta[property="og:title"]', "content") ?? text(doc, "#activity-name") ?? text(doc, "#thread_subject") ?? onlyHeading(doc),
    author:
      attr(doc, 'meta[name="author"]', "content") ??
      attr(doc, 'meta[property="article:author"]', "content") ??
      text(doc, "#js_author_name") ??
      text(doc, ".authi a.xw1"),
    sourceName: text(doc, "#js_name") ?? attr(doc, 'meta[property="og:site_name"]', "content"),
    sourceUrl: attr(doc, 'link[rel="canonical"]', "href") ?? attr(doc, 'meta[property="og:url"]', "content"),
    published:
      (weChatTime ? instantInBeijing(Number(weChatTime)) : undefined) ??
      (publishedAt ? instantInBeijing(publishedAt) : undefined) ??
      (visibleTime ? beijingTime(visibleTime)?.published : undefined),
  };
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v)) as PageMeta;
}

/** Discuz threads: only the first post is the article; every reply goes. */
function removeReplies(doc: Doc, removed: Removal[]): void {
  const posts = [...doc.querySelectorAll('[id^="postmessage_"]')] as El[];
  posts.slice(1).forEach((post, n) => {
    removed.push({ text: snippet(post.textContent), reason: `第 ${n + 2} 楼回帖（只有一楼是文章）` });
    (post.closest('[id^="post_"]') ?? post).remove();
  });
}

function removeChrome(doc: Doc, removed: Removal[]): void {
  for (const el of doc.querySelectorAll("script, style, noscript, iframe") as Iterable<El>) el.remove();
  for (const [selector, reason] of CHROME_SELECTORS) {
    for (const el of doc.querySelectorAll(selector) as Iterable<El>) {
      if (!el.isConnected) continue;
      if (snippet(el.textContent)) removed.push({ text: snippet(el.textContent), reason });
      el.remove();
    }
  }
  // WeChat hides the article until its scripts run.
  doc.querySelector("#js_content")?.removeAttribute("style");
}

function createTurndown(): TurndownService {
  const turndown = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", emDelimiter: "*" });
  const source = (img: El | null) => img?.getAttribute("data-src") || img?.getAttribute("src") || "";
  turndown.addRule("figure", {
    filter: "figure",
    replacement: (_content, node) => {
      const figure = node as unknown as El;
      const caption = captionText(figure.querySelector("figcaption")?.textContent);
      return `\n\n![${caption}](${source(figure.querySelector("img"))})\n\n`;
    },
  });
  turndown.addRule("image", {
    filter: "img",
    replacement: (_content, node) => `\n\n![${captionText((node as unknown as El).getAttribute("alt"))}](${source(node as unknown as El)})\n\n`,
  });
  return turndown;
}

function captionText(text: string | null | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").replace(/[[\]]/g, "").trim();
}

/** Page text lines the extracted article does not contain: reported as removed. */
function outsideArticle(pageLines: string[], articleText: string, already: Removal[]): Removal[] {
  const flat = (s: string) => s.replace(/\s+/g, "");
  const article = flat(articleText);
  const known = already.map((r) => flat(r.text));
  return pageLines
    .filter((line) => !article.includes(flat(line)) && !known.some((k) => k.includes(flat(line).slice(0, 40))))
    .map((line) => ({ text: snippet(line), reason: "正文之外（Readability 未选入）" }));
}

export function extractHtml(html: string): HtmlArticle {
  const { document } = parseHTML(html);
  const removed: Removal[] = [];
  let meta = markedUpMeta(document, html);
  removeReplies(document, removed);
  removeChrome(document, removed);
  const pageLines = (document.body?.textContent ?? "").split("\n").map((l: string) => l.trim()).filter((l: string) => l.length > 0);
  for (const line of pageLines.slice(0, 60)) {
    const found = metaFromLine(line);
    if (found) meta = mergeMeta(meta, found);
  }

  const article = new Readability(document as unknown as Document, { charThreshold: 100 }).parse();
  if (!article?.content) return { meta, markdown: "", text: "", removed };
  meta = mergeMeta(meta, {
    ...(article.title ? { title: article.title } : {}),
    ...(article.siteName ? { sourceName: article.siteName } : {}),
  });
  const articleText = article.textContent ?? "";
  removed.push(...outsideArticle(pageLines, articleText, removed));
  return { meta, markdown: createTurndown().turndown(article.content), text: articleText, removed };
}
