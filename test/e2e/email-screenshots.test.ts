/**
 * Every email as a reader's client draws it: each digest in its theme (the digests use all
 * three themes), the main digest empty, the confirmation, the unsubscribed and the welcome email, at
 * 375 px (phone) and 800 px (desktop), in light and dark colour schemes (Chromium honours
 * the templates' prefers-color-scheme queries, as Apple Mail does). Nothing may overflow
 * sideways, no English outside the allow-list may show (layout-check.ts), and every line
 * of text must reach WCAG AA contrast against what is actually drawn behind it.
 * Screenshots go to test/artifacts/ (git-ignored); `UPDATE_SCREENSHOTS=1` also refreshes
 * docs/digests.md's docs/screenshots/digest-<theme>.png (light, 800 px, the first 1400 px).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { themeNames } from "../../emails/theme.ts";
import { items } from "../../src/content/collection.ts";
import { digests, type Digest } from "../../src/digests/catalog.ts";
import { renderDigest } from "../../src/digests/render-digest.ts";
import Welcome from "../../emails/welcome.tsx";
import { renderConfirmation, renderUnsubscribed, renderWelcome } from "../../src/email/render-transactional.ts";
import { selectItems } from "../../src/digests/select.ts";
import { launchChromium } from "./chromium.ts";
import { checkLayout } from "./layout-check.ts";
import { root } from "./local-worker.ts";

/** When these copies are sent: the seed's event is long over by then (a recap). */
const SENT_AT = new Date("2026-11-30T08:00:00+08:00");

const artifacts = path.join(root, "test/artifacts");

const site = { url: "http://localhost:8787", mailFrom: "AI 前沿精选 <digest@example.com>" };

interface EmailCase {
  name: string;
  /** Set for digests: the theme whose screenshot in docs/digests.md this is. */
  theme?: string;
  html: () => Promise<string>;
}

const main = digests.find((digest) => digest.main)!;
const digestHtml = async (digest: Digest, { empty = false } = {}) =>
  (await renderDigest(digest, empty ? [] : selectItems(digest, items, null), { id: "next", date: "2026-11-30" }, site, SENT_AT)).html;

// The three digests use the three themes, so every theme is drawn with real content.
const cases: EmailCase[] = [
  ...digests.map((digest) => ({ name: `digest-${digest.theme}`, theme: digest.theme, html: () => digestHtml(digest) })),
  { name: `digest-${main.id}-empty`, html: () => digestHtml(main, { empty: true }) },
  {
    name: "confirm-subscription",
    html: async () =>
      (await renderConfirmation({ confirmUrl: `${site.url}/confirm?token=eyJzIjo0Mn0.c2lnbmF0dXJlLXRoYXQtaXMtcXVpdGUtbG9uZw`, siteUrl: site.url, mailFrom: site.mailFrom, digestTitles: digests.map((d) => d.title) })).html,
  },
  { name: "unsubscribed", html: async () => (await renderUnsubscribed({ siteUrl: site.url, mailFrom: site.mailFrom, resubscribeUrl: `${site.url}/#subscribe` })).html },
  { name: "welcome", html: async () => (await renderWelcome(Welcome.PreviewProps)).html },
];

/**
 * Text whose colour is below WCAG AA against the colour actually painted behind it
 * (the nearest ancestor with an opaque background). Evaluated in the page; a string
 * because the project's TypeScript has no DOM library (it targets workerd).
 */
const LOW_CONTRAST_TEXT = `(() => {
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const [lr, lg, lb] = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const value = rgb(getComputedStyle(e).backgroundColor);
      if (value.length === 3 || (value.length === 4 && value[3] === 1)) return value.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = (node.textContent || "").replace(/[\\s\\u00a0\\u200b-\\u200f\\ufeff\\u034f]/g, "");
    if (!element || !text) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || element.closest("[data-skip-in-text]")) continue;
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const [a, b] = [luminance(rgb(style.color)), luminance(background(element))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(ratio.toFixed(2) + ":1 " + style.color + " on " + background(element).join(",") + ": " + text.slice(0, 30));
  }
  return problems;
})()`;

describe("emails in a browser, light and dark, phone and desktop", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("draws every theme: the digests use all of them", () => {
    expect(new Set(digests.map((digest) => digest.theme))).toEqual(new Set(themeNames));
  });

  for (const email of cases) {
    it(`${email.name}: fits 375 and 800 px, reads Chinese and keeps AA contrast in both schemes`, async () => {
      await page.setContent(await email.html(), { waitUntil: "load" });
      await checkLayout(page, path.join(artifacts, email.name), {
        siteHeader: false,
        alsoAt: async ({ width, colorScheme, label }) => {
          expect.soft(await page.evaluate<string[]>(LOW_CONTRAST_TEXT), `${label}: text below AA contrast`).toEqual([]);
          if (email.theme && width === 800 && colorScheme === "light" && process.env.UPDATE_SCREENSHOTS) {
            const height = await page.evaluate<number>("document.documentElement.scrollHeight");
            await page.screenshot({
              path: path.join(root, `docs/screenshots/digest-${email.theme}.png`),
              fullPage: true,
              clip: { x: 0, y: 0, width, height: Math.min(height, 1400) },
            });
          }
        },
      });
    });
  }
});
