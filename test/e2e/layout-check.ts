/**
 * What a person sees on a phone and a desktop, light and dark, measured in the page:
 * nothing overflows sideways, every form control (a checkbox by its label) is a tap
 * target at least 44 px tall, SVG plot labels are at least 12 px as drawn, and the site
 * header's links fit on one line. A full-page screenshot of each lands beside `shotPath`.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";

const WIDTHS = [375, 1280] as const;
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
  const smallControls = [...document.querySelectorAll('input:not([type="hidden"]), button, select, textarea')]
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

/** Checks the loaded page at every width and colour scheme; screenshots go to `${shotPath}-${width}-${scheme}.png`. */
export async function checkLayout(page: Page, shotPath: string, { siteHeader = true } = {}): Promise<void> {
  for (const width of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      const label = `${shotPath.split("/").pop()} at ${width}px, ${colorScheme}`;
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme });
      const m = (await page.evaluate(MEASURE)) as Measurements;
      await page.screenshot({ path: `${shotPath}-${width}-${colorScheme}.png`, fullPage: true });
      expect.soft(m.scrollWidth, `${label}: overflows horizontally (${m.overflowing.join(", ")})`).toBeLessThanOrEqual(m.innerWidth);
      expect.soft(m.overflowing, `${label}: sticks out of the page`).toEqual([]);
      expect.soft(m.smallControls, `${label}: controls under ${MIN_TAP_HEIGHT}px`).toEqual([]);
      expect.soft(m.smallLabels, `${label}: plot labels under ${MIN_PLOT_LABEL_PX}px`).toEqual([]);
      if (siteHeader) expect.soft(m.headerLines, `${label}: header links on one line`).toBe(1);
    }
  }
}
