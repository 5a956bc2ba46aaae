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
import { CHROME } from "./chrome.ts";
import { beijingTime, instantInBeijing, mergeMeta, metaFromLine, type PageMeta } from "./metadata.ts";
import type { Removal } from "./removal.ts";
import { isSafeUrl } from "./safe-markdown.ts";

export interface HtmlArticle {
  meta: PageMeta;
  markdown: string;
  /** The article's text as extracted, before conversion: what the sentence check starts from. */
  text: string;
  removed: Removal[];
}

type Doc = ReturnType<typeof parseHTML>["document"];
type El = NonNullable<ReturnType<Doc["querySelector"]>>;

const snippet = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim().slice(0, 80);
const attr = (doc: Doc, selector: string, name: string) => doc.querySelector(selector)?.getAttribute(name)?.trim() || undefined;
const text = (doc: Doc, selector: string) => doc.querySelector(selector)?.textContent?.trim() || undefined;

/** A page's single <h1> is its article title; <title> often carries the site name too. */
function onlyHeading(doc: Doc): string | undefined {
  const headings = [...doc.querySelectorAll("h1")] as El[];
  return headings.length === 1 ? headings[0]?.textContent?.trim() || undefined : undefined;
}

/** Where pages name the article's author: WeChat, Discuz, schema.org markup (知乎), CSDN, phpBB. */
const AUTHOR_SELECTORS = ["#js_author_name", ".authi a.xw1", '[itemprop="author"] [itemprop="name"]', ".follow-nickName", ".postprofile .username"];

function firstAuthor(doc: Doc): string | undefined {
  for (const selector of AUTHOR_SELECTORS) {
    const el = doc.querySelector(selector);
    const name = (el?.getAttribute("content") ?? el?.textContent)?.trim();
    if (name) return name;
  }
  return undefined;
}

/** The schema.org NewsArticle / Article a page embeds as JSON-LD (36氪, 澎湃 and many news sites). */
function linkedData(doc: Doc): { author?: string; published?: string; title?: string } {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]') as Iterable<El>) {
    try {
      const data = JSON.parse(script.textContent ?? "") as { headline?: unknown; datePublished?: unknown; author?: { name?: unknown } | { name?: unknown }[] };
      const author = Array.isArray(data.author) ? data.author[0] : data.author;
      const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
      return { author: text(author?.name), published: text(data.datePublished), title: text(data.headline) };
    } catch {
      // Broken JSON-LD is common; the page's other markup still counts.
    }
  }
  return {};
}

/** Facts the page marks up: Open Graph and article meta tags, JSON-LD, WeChat, forum and blog elements. */
function markedUpMeta(doc: Doc, html: string): PageMeta {
  const weChatTime = /var\s+ct\s*=\s*"(\d{9,})"/.exec(html)?.[1];
  const ld = linkedData(doc);
  const publishedAt = attr(doc, 'meta[property="article:published_time"]', "content") ?? ld.published;
  const visibleTime = text(doc, "#publish_time") ?? text(doc, '[id^="authorposton"]');
  const meta: PageMeta = {
    title: attr(doc, 'meta[property="og:title"]', "content") ?? text(doc, "#activity-name") ?? text(doc, "#thread_subject") ?? text(doc, ".topic-title") ?? ld.title ?? onlyHeading(doc),
    author: attr(doc, 'meta[name="author"]', "content") ?? attr(doc, 'meta[property="article:author"]', "content") ?? ld.author ?? firstAuthor(doc),
    sourceName: text(doc, "#js_name"),
    sourceUrl: attr(doc, 'link[rel="canonical"]', "href") ?? attr(doc, 'meta[property="og:url"]', "content"),
    published:
      (weChatTime ? instantInBeijing(Number(weChatTime)) : undefined) ??
      (publishedAt ? instantInBeijing(publishedAt) : undefined) ??
      (visibleTime ? beijingTime(visibleTime)?.published : undefined),
  };
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v)) as PageMeta;
}

/** Forum threads (Discuz, phpBB): only the first post is the article; every reply goes, with what it quotes. */
function removeReplies(doc: Doc, removed: Removal[]): void {
  const posts = [...doc.querySelectorAll('[id^="postmessage_"], .postbody .content')] as El[];
  posts.slice(1).forEach((post, n) => {
    removed.push({ text: snippet(post.textContent), reason: `第 ${n + 2} 楼回帖（只有一楼是文章）` });
    (post.closest(".post") ?? post.closest('[id^="post_"]') ?? post).remove();
  });
}

function removeChrome(doc: Doc, removed: Removal[]): void {
  for (const { selector, reason, source } of CHROME.selectors) {
    for (const el of doc.querySelectorAll(selector) as Iterable<El>) {
      if (!el.isConnected) continue;
      if (snippet(el.textContent)) removed.push({ text: snippet(el.textContent), reason: `${reason}（${source}）` });
      el.remove();
    }
  }
  // WeChat hides the article until its scripts run.
  doc.querySelector("#js_content")?.removeAttribute("style");
}

function createTurndown(): TurndownService {
  const turndown = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", emDelimiter: "*", codeBlockStyle: "fenced" });
  // A link to a script or data URL keeps only its text.
  turndown.addRule("unsafe-link", {
    filter: (node) => {
      const el = node as unknown as El;
      return el.tagName === "A" && !isSafeUrl(el.getAttribute("href") ?? "");
    },
    replacement: (content) => content,
  });
  const source = (img: El | null) => img?.getAttribute("data-src") || img?.getAttribute("src") || "";
  turndown.addRule("figure", {
    filter: "figure",
    replacement: (_content, node) => {
      const figure = node as unknown as El;
      const caption = captionText(figure.querySelector("figcaption")?.textContent);
      return image(caption, source(figure.querySelector("img")));
    },
  });
  turndown.addRule("image", {
    filter: "img",
    replacement: (_content, node) => image(captionText((node as unknown as El).getAttribute("alt")), source(node as unknown as El)),
  });
  return turndown;
}

/** An image as Markdown; one whose address is a script or data URL is dropped. */
function image(caption: string, src: string): string {
  if (!isSafeUrl(src)) return "";
  return `\n\n![${caption}](${src})\n\n`;
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

const pageLinesOf = (doc: Doc): string[] =>
  (doc.body?.textContent ?? "").split("\n").map((l: string) => l.trim()).filter((l: string) => l.length > 0);

/** A line of article text: long, and ending a sentence. */
const isSubstantive = (line: string) => line.length >= 40 && /[。！？]/u.test(line);

/**
 * The metadata lines of the page's header block (everything above the first line of
 * article text), read before any chrome is removed: a column page's author card and
 * "发布于 …" line sit in a <header> that goes as chrome.
 */
function headerMeta(doc: Doc): PageMeta {
  let meta: PageMeta = {};
  const lines = pageLinesOf(doc);
  const end = lines.findIndex(isSubstantive);
  for (const line of lines.slice(0, end < 0 ? 60 : end)) {
    const found = metaFromLine(line);
    if (found) meta = mergeMeta(meta, found);
  }
  return meta;
}

export function extractHtml(html: string): HtmlArticle {
  const { document } = parseHTML(html);
  const removed: Removal[] = [];
  let meta = markedUpMeta(document, html);
  for (const el of document.querySelectorAll("script, style, noscript, iframe") as Iterable<El>) el.remove();
  // The source a page names ("来源：星海晚报") before the site it is on (og:site_name "网易新闻").
  meta = mergeMeta(mergeMeta(meta, headerMeta(document)), { sourceName: attr(document, 'meta[property="og:site_name"]', "content") });
  removeReplies(document, removed);
  removeChrome(document, removed);
  const pageLines = pageLinesOf(document);

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
