/**
 * Every page of the site as a reader sees it, on a phone (375 px) and a desktop (1280 px),
 * in light and dark mode: nothing overflows sideways, the header's links fit on one line,
 * and every form control (text field, button, checkbox with its label) is a tap target at
 * least 44 px tall. Screenshots of each land in test/artifacts/pages/ (git-ignored) for a
 * person to look at.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmationLinkFromOutbox, root, startHarness, type Harness } from "./harness.ts";

const ARTIFACTS = path.join(root, "test/artifacts/pages");
const WIDTHS = [375, 1280] as const;
const SCHEMES = ["light", "dark"] as const;
const MIN_TAP_HEIGHT = 44;

interface Measurements {
  innerWidth: number;
  scrollWidth: number;
  /** Elements sticking out past the right edge, for the failure message. */
  overflowing: string[];
  /** Form controls shorter than MIN_TAP_HEIGHT, with their height. */
  smallControls: string[];
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
  const overflowing = [...document.body.querySelectorAll("*")]
    .filter((el) => visible(el) && el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5)
    .map((el) => describe(el) + " right=" + Math.round(el.getBoundingClientRect().right));
  const smallControls = [...document.querySelectorAll('input:not([type="hidden"]), button, select, textarea')]
    .filter(visible)
    .map((el) => (el.type === "checkbox" || el.type === "radio") ? (el.closest("label") ?? el) : el)
    .filter((el) => el.getBoundingClientRect().height < ${MIN_TAP_HEIGHT} - 0.01)
    .map((el) => describe(el) + " " + el.getBoundingClientRect().height.toFixed(1) + "px");
  const links = [...document.querySelectorAll("header.site a")].map((a) => a.getBoundingClientRect()).sort((a, b) => a.top - b.top);
  let headerLines = 0, lineBottom = -Infinity;
  for (const r of links) {
    if (r.top >= lineBottom - 1) { headerLines++; lineBottom = r.bottom; } else lineBottom = Math.max(lineBottom, r.bottom);
  }
  return { innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, overflowing, smallControls, headerLines };
})()`;

/** Checks the loaded page at every width and colour scheme, and keeps a full-page screenshot of each. */
async function checkLayout(page: Page, name: string, { siteHeader = true } = {}) {
  for (const width of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      const label = `${name} at ${width}px, ${colorScheme}`;
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme });
      const m = (await page.evaluate(MEASURE)) as Measurements;
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}-${colorScheme}.png`), fullPage: true });
      expect.soft(m.scrollWidth, `${label}: overflows horizontally (${m.overflowing.join(", ")})`).toBeLessThanOrEqual(m.innerWidth);
      expect.soft(m.smallControls, `${label}: controls under ${MIN_TAP_HEIGHT}px`).toEqual([]);
      if (siteHeader) expect.soft(m.headerLines, `${label}: header links on one line`).toBe(1);
    }
  }
}

describe("pages at 375 px and 1280 px, light and dark", () => {
  let harness: Harness;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    harness = await startHarness();
    base = harness.base;
    page = await harness.browser.newPage();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const open = async (pathname: string, status = 200) => {
    const response = await page.goto(`${base}${pathname}`);
    expect(response?.status(), pathname).toBe(status);
  };

  it.each([
    ["home", "/"],
    ["article-interview", "/articles/zhang-hongjiang-interview"],
    ["article-event", "/articles/waic-ai-developer-forum-2021"],
    ["tag", `/tags/${encodeURIComponent("访谈")}`],
    ["digests", "/digests"],
    ["digest-archive", "/digests/weekly"],
  ])("%s (%s)", async (name, pathname) => {
    await open(pathname);
    await checkLayout(page, name);
  });

  it("404", async () => {
    await open("/articles/no-such-article", 404);
    await checkLayout(page, "not-found");
  });

  it("an edition's web version", async () => {
    const opened = await fetch(`${base}/api/sends`, {
      method: "POST",
      headers: { Authorization: "Bearer dev-admin-token", "Content-Type": "application/json" },
      body: JSON.stringify({ digest: "weekly", force: true }),
    });
    expect(opened.status).toBe(202);
    const { edition } = (await opened.json()) as { edition: string };
    await open("/digests/weekly");
    await checkLayout(page, "digest-archive-with-edition");
    await open(`/digests/weekly/editions/${encodeURIComponent(edition)}`);
    await checkLayout(page, "edition-web-version");
    // The site around the email: its way back to the archive, and a subscribe form for this digest.
    expect(await page.getByRole("link", { name: "全部往期" }).first().getAttribute("href")).toBe("/digests/weekly");
    expect(await page.locator('form.subscribe input[value="weekly"]').isChecked()).toBe(true);
  });

  it("serves each page's share card and the favicon set as images", async () => {
    for (const pathname of ["/", "/articles/zhang-hongjiang-interview", "/digests/weekly", "/digests/weekly/editions/next"]) {
      const html = await (await fetch(`${base}${pathname}`)).text();
      const image = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
      expect(image, pathname).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cards\/.+\.png$/);
      const card = await fetch(image!);
      expect(card.status, image).toBe(200);
      expect(card.headers.get("content-type")).toBe("image/png");
      const bytes = new DataView(await card.arrayBuffer());
      expect([bytes.getUint32(16), bytes.getUint32(20)], image).toEqual([1200, 630]);
    }
    for (const [icon, type] of <const>[
      ["/favicon.svg", "image/svg+xml"],
      ["/favicon-32.png", "image/png"],
      ["/apple-touch-icon.png", "image/png"],
      ["/favicon.ico", "image/vnd.microsoft.icon"],
    ]) {
      const res = await fetch(`${base}${icon}`);
      expect(res.status, icon).toBe(200);
      expect(res.headers.get("content-type"), icon).toBe(type);
    }
  });

  it("subscribing with no digest chosen", async () => {
    await open("/");
    for (const box of await page.locator('form.subscribe input[name="digests"]').all()) await box.uncheck();
    await page.locator("form.subscribe input[type=email]").fill("nobody-chosen@example.org");
    await page.locator("form.subscribe button[type=submit]").click();
    await page.waitForLoadState();
    await checkLayout(page, "subscribe-no-digest");
  });

  it("the subscription pages: success, confirm, preferences, unsubscribe", async () => {
    const email = "pages@example.org";
    await open("/");
    await page.locator("form.subscribe input[type=email]").fill(email);
    await page.locator("form.subscribe button[type=submit]").click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("请查收确认邮件");
    await checkLayout(page, "subscribe-success");

    const confirmUrl = await confirmationLinkFromOutbox(page, base, email);
    await page.goto(confirmUrl);
    expect(await page.locator("h1").textContent()).toBe("订阅成功");
    await checkLayout(page, "confirm");
    const preferencesUrl = await page.getByRole("link", { name: "管理订阅" }).getAttribute("href");
    const unsubscribeUrl = await page.getByRole("link", { name: "退订" }).getAttribute("href");

    await page.goto(preferencesUrl ?? "");
    expect(await page.locator("h1").textContent()).toBe("管理订阅");
    await checkLayout(page, "preferences");

    await page.goto(unsubscribeUrl ?? "");
    expect(await page.locator("h1").textContent()).toBe("退订");
    await checkLayout(page, "unsubscribe");
  });
});
