/**
 * What a person sees on a phone (375 px) and a desktop window (800 px), light and dark,
 * measured in the page: nothing overflows sideways, every form control (a checkbox by its
 * label) and every link drawn as a button (a background or a border of its own) is a tap
 * target at least 44 px tall, SVG plot labels are at least 12 px as drawn,
 * the site header's links fit on one line, and the text drawn (with the attributes a person
 * reads) has no English outside the allow-list the Workers suite uses too. A public page
 * carries its share tags with the right values, read from the DOM; a page without a public
 * URL of its own (a token link, a form's answer, the 404) the basic set without a canonical
 * URL. A full-page screenshot of each view lands beside `shotPath`.
 *
 * 800 px is the desktop width: the site's and the emails' content column fits in it whole
 * (1280 px drew the same pages with wider margins, and cost more to screenshot). The
 * console's panels stack below about 1250 px (docs/console.md), so 800 px draws a desktop
 * console with its panels stacked, each at full width.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { publication } from "../../src/feeds/publication.ts";
import { englishWords, PRODUCT_ALLOWED } from "../helpers/visible-text.ts";

export const WIDTHS = [375, 800] as const;
const SCHEMES = ["light", "dark"] as const;
const MIN_TAP_HEIGHT = 44;
const MIN_PLOT_LABEL_PX = 12;

interface Measurements {
  innerWidth: number;
  scrollWidth: number;
  /** Elements sticking out past the right edge (outside a box of their own that scrolls), for the failure message. */
  overflowing: string[];
  /** Form controls shorter than MIN_TAP_HEIGHT, with their height. */
  smallControls: string[];
  /** SVG text drawn smaller than MIN_PLOT_LABEL_PX. */
  smallLabels: string[];
  /** Lines the header's links take (a link starting below another's bottom starts a line); 0 without a site header. */
  headerLines: number;
}

/**
 * Runs in the page (a string, since the suite's TypeScript has no DOM types). A checkbox or
 * radio button counts by its label, which is what a finger hits.
 */
const MEASURE = `(() => {
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const scrollsInside = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  const overflowing = [...document.body.querySelectorAll("*")]
    .filter((el) => visible(el) && el.getBoundingClientRect().right > window.innerWidth + 0.5 && !scrollsInside(el))
    .slice(0, 5)
    .map((el) => describe(el) + " right=" + Math.round(el.getBoundingClientRect().right));
  const paintedBox = (el) => { const s = getComputedStyle(el); return !/^rgba\\(.*, 0\\)$|^transparent$/.test(s.backgroundColor) || parseFloat(s.borderTopWidth) > 0; };
  const buttonLinks = [...document.querySelectorAll("a[href]")].filter((a) => visible(a) && paintedBox(a));
  const smallControls = [...document.querySelectorAll('input:not([type="hidden"]), button, select, textarea'), ...buttonLinks]
    .filter(visible)
    .map((el) => (el.type === "checkbox" || el.type === "radio") ? (el.closest("label") ?? el) : el)
    .filter((el) => el.getBoundingClientRect().height < ${MIN_TAP_HEIGHT} - 0.01)
    .map((el) => describe(el) + " " + el.getBoundingClientRect().height.toFixed(1) + "px");
  const smallLabels = [...document.querySelectorAll("svg text")]
    .filter(visible)
    .map((el) => ({ el, px: parseFloat(getComputedStyle(el).fontSize) * (el.getScreenCTM()?.a ?? 1) }))
    .filter(({ px }) => px < ${MIN_PLOT_LABEL_PX} - 0.01)
    .slice(0, 5)
    .map(({ el, px }) => JSON.stringify(el.textContent) + " " + px.toFixed(1) + "px");
  const links = [...document.querySelectorAll("header.site a")].map((a) => a.getBoundingClientRect()).sort((a, b) => a.top - b.top);
  let headerLines = 0, lineBottom = -Infinity;
  for (const r of links) {
    if (r.top >= lineBottom - 1) { headerLines++; lineBottom = r.bottom; } else lineBottom = Math.max(lineBottom, r.bottom);
  }
  return { innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, overflowing, smallControls, smallLabels, headerLines };
})()`;

/**
 * The text a person reads, as Chromium draws it: the body's innerText with code and
 * preformatted blocks left out (code is not a word to translate; display:none set through
 * the CSSOM, which no CSP refuses, and put back after), the document title, the attributes
 * read aloud or shown on hover, the labels of input buttons, and what a shared link shows.
 */
const READ_TEXT = `(() => {
  const code = [...document.body.querySelectorAll("code, pre")].map((el) => [el, el.style.getPropertyValue("display"), el.style.getPropertyPriority("display")]);
  for (const [el] of code) el.style.setProperty("display", "none", "important");
  const drawn = document.body.innerText;
  for (const [el, value, priority] of code) { if (value) el.style.setProperty("display", value, priority); else el.style.removeProperty("display"); }
  const attributes = [...document.body.querySelectorAll("[alt], [title], [aria-label], [placeholder]")]
    .flatMap((el) => ["alt", "title", "aria-label", "placeholder"].map((name) => el.getAttribute(name) ?? ""));
  const buttons = [...document.body.querySelectorAll('input[type="submit"], input[type="button"], input[type="reset"]')].map((el) => el.value);
  const shared = [...document.querySelectorAll('meta[name="description"], meta[property="og:title"], meta[property="og:description"], meta[property="og:image:alt"]')].map((m) => m.content);
  return [document.title, drawn, ...attributes, ...buttons, ...shared].join("\\n");
})()`;

/** The page's meta tags by property or name, and its canonical link. */
const READ_SHARE_TAGS = `(() => ({
  meta: Object.fromEntries([...document.querySelectorAll("meta[property], meta[name]")].map((m) => [m.getAttribute("property") ?? m.getAttribute("name"), m.content])),
  canonical: document.querySelector('link[rel="canonical"]')?.href ?? null,
  title: document.title,
}))()`;

interface ShareTags {
  meta: Record<string, string>;
  canonical: string | null;
  title: string;
}

/** Share cards already fetched and measured, by URL: pages share cards, so each is fetched once. */
const cardSizes = new Map<string, Promise<{ status: number; type: string | null; size: [number, number] }>>();

function cardSize(url: string) {
  let size = cardSizes.get(url);
  if (!size) {
    size = fetch(url).then(async (res) => {
      const png = new DataView(await res.arrayBuffer());
      // A PNG's IHDR chunk: width and height at bytes 16 and 20.
      return { status: res.status, type: res.headers.get("content-type"), size: [png.getUint32(16), png.getUint32(20)] as [number, number] };
    });
    cardSizes.set(url, size);
  }
  return size;
}

/**
 * Share tags with their values. Every page: og:site_name, og:locale zh_CN, og:title (the
 * title without the site's name), og:description (the meta description), og:type and
 * twitter:card. A public page also: og:url equal to its canonical link and to its own
 * address (without query or fragment), og:type article with its publication time on an
 * article, and a 1200×630 PNG share card that the Worker serves.
 */
async function checkShareTags(page: Page, label: string, share: "public" | "basic"): Promise<void> {
  const { meta, canonical, title } = (await page.evaluate(READ_SHARE_TAGS)) as ShareTags;
  const address = new URL(page.url());
  const soft = (what: string) => expect.soft(meta[what], `${label}: ${what}`);
  soft("og:site_name").toBe(publication.title);
  soft("og:locale").toBe("zh_CN");
  expect.soft([publication.title, `${meta["og:title"]} · ${publication.title}`], `${label}: og:title is the page's title`).toContain(title);
  expect.soft(meta["og:description"]?.length ?? 0, `${label}: og:description`).toBeGreaterThan(10);
  soft("og:description").toBe(meta["description"]);
  if (share === "basic") {
    soft("og:type").toBe("website");
    soft("twitter:card").toBe("summary");
    // A token link or a form's answer must not tell a sharer to spread its address.
    soft("og:url").toBeUndefined();
    expect.soft(canonical, `${label}: canonical`).toBeNull();
    return;
  }
  const own = `${address.origin}${address.pathname}`;
  expect.soft(canonical, `${label}: canonical`).toBe(own);
  soft("og:url").toBe(own);
  soft("twitter:card").toBe("summary_large_image");
  const isArticle = address.pathname.startsWith("/articles/");
  soft("og:type").toBe(isArticle ? "article" : "website");
  if (isArticle) expect.soft(Date.parse(meta["article:published_time"] ?? ""), `${label}: article:published_time`).not.toBeNaN();
  const image = meta["og:image"] ?? "";
  expect.soft(image, `${label}: og:image`).toMatch(new RegExp(`^${address.origin.replace(/[.]/g, "\\.")}/cards/.+\\.png$`));
  expect.soft([meta["og:image:width"], meta["og:image:height"]], `${label}: og:image size`).toEqual(["1200", "630"]);
  if (image) expect.soft(await cardSize(image), `${label}: the card ${image}`).toEqual({ status: 200, type: "image/png", size: [1200, 630] });
}

export interface ViewOptions {
  /** The page has the site's header, whose links must fit on one line. */
  siteHeader?: boolean;
  /** The share tags the page must carry (see checkShareTags); none for the console and emails. */
  share?: "public" | "basic";
  /** More checks at each width and scheme (an email's contrast), after the screenshot. */
  alsoAt?: (view: { width: number; colorScheme: "light" | "dark"; label: string }) => Promise<void>;
}

/** Checks the loaded page at every width and colour scheme; screenshots go to `${shotPath}-${width}-${scheme}.png`. */
export async function checkLayout(page: Page, shotPath: string, { siteHeader = true, share, alsoAt }: ViewOptions = {}): Promise<void> {
  const name = shotPath.split("/").pop() ?? shotPath;
  if (share) await checkShareTags(page, name, share);
  for (const width of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      const label = `${name} at ${width}px, ${colorScheme}`;
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme });
      const m = (await page.evaluate(MEASURE)) as Measurements;
      const english = englishWords(((await page.evaluate(READ_TEXT)) as string).replace(/\s+/g, " "), PRODUCT_ALLOWED);
      await page.screenshot({ path: `${shotPath}-${width}-${colorScheme}.png`, fullPage: true });
      expect.soft(m.scrollWidth, `${label}: overflows horizontally (${m.overflowing.join(", ")})`).toBeLessThanOrEqual(m.innerWidth);
      expect.soft(m.overflowing, `${label}: sticks out of the page`).toEqual([]);
      expect.soft(m.smallControls, `${label}: controls under ${MIN_TAP_HEIGHT}px`).toEqual([]);
      expect.soft(m.smallLabels, `${label}: plot labels under ${MIN_PLOT_LABEL_PX}px`).toEqual([]);
      expect.soft(english, `${label}: English outside the allow-list`).toEqual([]);
      if (siteHeader) expect.soft(m.headerLines, `${label}: header links on one line`).toBe(1);
      await alsoAt?.({ width, colorScheme, label });
    }
  }
}
