/**
 * What a person reads of an HTML document, and the English in it. The text is derived
 * from the real markup: scripts, styles and comments removed, tags stripped, attribute
 * values dropped except the ones a person reads (alt, title, placeholder, aria-label),
 * entities decoded. Code, URLs and email addresses are not words a reader must understand.
 * Both the Workers suite (test/chinese-copy.test.ts, on the HTML) and the browser suite
 * (test/e2e/layout-check.ts, on what Chromium draws) judge text with englishWords and
 * PRODUCT_ALLOWED from here, so the two agree on what counts as English.
 */
import { items } from "../../src/content/collection.ts";
import { digests } from "../../src/digests/catalog.ts";

const READ_ATTRIBUTES = /\s(?:alt|title|placeholder|aria-label)\s*=\s*"([^"]*)"/gi;

const decodeEntities = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&nbsp;/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The visible text of an HTML document (or fragment), whitespace collapsed. */
export function visibleText(html: string): string {
  const withoutHidden = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style|code|pre)\b[^>]*>[\s\S]*?<\/\1>/gi, " ")
    // The <head> shows only its title (the tab, a bookmark).
    .replace(/<head\b[^>]*>[\s\S]*?<\/head>/i, (head) => ` ${/<title>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? ""} `);
  const text = withoutHidden.replace(/<[^>]*>/g, (tag) => {
    const read = [...tag.matchAll(READ_ATTRIBUTES)].map((match) => match[1] ?? "");
    return ` ${read.join(" ")} `;
  });
  return decodeEntities(text).replace(/\s+/g, " ").trim();
}

/**
 * Words a Chinese reader is expected to read as they are: brand and product names, feed
 * formats and the few technical names the product is about.
 */
export const ENGLISH_ALLOWED = new Set(
  [
    // Feed formats and file types the product offers by name.
    "RSS", "Atom", "JSON", "Feed", "CSV",
    // Brands and products named in the content, the advice and the console.
    "AI", "WAIC", "QQ", "Resend", "Cloudflare", "Access", "Outlook", "Gmail", "Yahoo", "Apple", "Google",
    // Technical names an operator reads in the console: the API and its description, formats, units, standards.
    "API", "OpenAPI", "HTML", "KB", "MB", "ISO", "IP", "User-Agent", "WebSub",
    // Feed reader services named on the console's RSS audience card.
    "Feedly", "Inoreader",
  ].map((word) => word.toLowerCase()),
);

/**
 * The shipped articles quote English themselves (paper titles, IEEE, RISC-V): those are the
 * authors' words, not the product's, so the Latin words of the content are allowed too.
 */
const contentWords = items.flatMap((item) =>
  [...`${item.title} ${item.summary} ${item.text} ${item.highlights.join(" ")} ${item.source.name} ${JSON.stringify(item.event ?? {})}`.matchAll(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g)].map((m) => m[0].toLowerCase()),
);

/**
 * What a page, an email or the console may show: the allow-list, the content's own words, and
 * digest ids (code: the console's edition numbers and the CSV's `digests` column are made of them).
 */
export const PRODUCT_ALLOWED: ReadonlySet<string> = new Set([...ENGLISH_ALLOWED, ...contentWords, ...digests.map((digest) => digest.id)]);

/** Latin words of two letters or more that are not allowed, with a little context each. */
export function englishWords(text: string, allowed: ReadonlySet<string> = ENGLISH_ALLOWED): string[] {
  const cleaned = text
    .replace(/\bhttps?:\/\/\S+/g, " ")
    .replace(/\S+@\S+/g, " ")
    // Domain names (qq.com, blog.kie.org) are addresses too.
    .replace(/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|cn|io|ai)\b/gi, " ")
    // Paths and file names (/digests, rss.xml, event.ics) are addresses, not words.
    .replace(/(?:^|\s)\/\S*/g, " ")
    .replace(/\S+\.(?:xml|json|ics|csv)\b/g, " ");
  const found: string[] = [];
  for (const match of cleaned.matchAll(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g)) {
    if (allowed.has(match[0].toLowerCase())) continue;
    const at = match.index;
    found.push(`${match[0]} (…${cleaned.slice(Math.max(0, at - 20), at + match[0].length + 20).trim()}…)`);
  }
  return found;
}
