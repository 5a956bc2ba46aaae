/**
 * Colour contrast of every theme, computed from the tokens in emails/theme.ts: each
 * (text, background) pair the templates draw reaches WCAG AA (4.5:1, 3:1 for large
 * text) in the light palette and in the dark one; and every coloured element of a
 * rendered email carries the class that switches it to the dark palette, so no
 * light-palette colour is left on a dark background.
 */
import { describe, expect, it } from "vitest";
import { DARK } from "../emails/components/email-layout.tsx";
import { TEXT_ON_BACKGROUND, themeNames, themes, type Palette } from "../emails/theme.ts";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { renderDigest } from "../src/digests/render-digest.ts";
import { renderConfirmation, renderUnsubscribed } from "../src/email/render-transactional.ts";
import { selectItems } from "../src/digests/select.ts";

/** When these copies are sent: the seed's event is long over by then (a recap). */
const SENT_AT = new Date("2026-11-30T08:00:00+08:00");

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const value = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [value >> 16, (value >> 8) & 0xff, value & 0xff].map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

describe("contrast of the theme tokens", () => {
  it("is computed the WCAG way", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  for (const name of themeNames) {
    for (const mode of ["light", "dark"] as const) {
      it(`${name}, ${mode}: every text colour reaches AA on its background`, () => {
        const palette: Palette = themes[name][mode];
        const failing = TEXT_ON_BACKGROUND.filter(({ text, on, large }) => contrast(palette[text], palette[on]) < (large ? 3 : 4.5)).map(
          ({ text, on }) => `${text} ${palette[text]} on ${on} ${palette[on]}: ${contrast(palette[text], palette[on]).toFixed(2)}:1`,
        );
        expect(failing).toEqual([]);
      });
    }

    it(`${name}: the dark palette keeps the header band dark, under light text`, () => {
      const { dark } = themes[name];
      expect(luminance(dark.band)).toBeLessThan(luminance(dark.onBand));
      expect(contrast(dark.band, dark.surface)).toBeLessThan(3);
    });
  }
});

/** The dark-mode classes that may recolour an inline colour of each token. */
const COLOUR_CLASSES: Partial<Record<keyof Palette, string[]>> = {
  text: [DARK.text],
  muted: [DARK.muted],
  accent: [DARK.accent],
  onAccent: [DARK.accentFill],
  onBand: [DARK.onBand],
};
const FILL_CLASSES: Partial<Record<keyof Palette, string[]>> = {
  background: [DARK.background],
  surface: [DARK.surface],
  tint: [DARK.tint],
  accent: [DARK.accentFill, DARK.accentRule],
  band: [DARK.band],
  border: [DARK.rule],
};

/** Elements whose inline colour (or fill) has no class to switch it in dark mode. */
function unswitchedColours(html: string, palette: Palette): string[] {
  const problems: string[] = [];
  for (const [, tag, attributes] of html.matchAll(/<(\w+)([^>]*)>/g)) {
    const style = /style="([^"]*)"/.exec(attributes ?? "")?.[1] ?? "";
    const classes = (/class="([^"]*)"/.exec(attributes ?? "")?.[1] ?? "").split(/\s+/);
    const check = (label: string, property: RegExp, table: Partial<Record<keyof Palette, string[]>>) => {
      const colour = property.exec(style)?.[1];
      if (!colour) return;
      const allowed = Object.entries(table).flatMap(([token, names]) => (palette[token as keyof Palette] === colour ? (names ?? []) : []));
      if (!allowed.some((name) => classes.includes(name))) problems.push(`<${tag} class="${classes.join(" ")}"> ${label} ${colour}`);
    };
    check("color", /(?:^|;)color:(#[0-9a-f]{6})/, COLOUR_CLASSES);
    check("background-color", /background-color:(#[0-9a-f]{6})/, FILL_CLASSES);
    // The pull quote's accent bar: its own class, never .em-border (which recoloured it to the border colour).
    if (/border-left:4px solid/.test(style) && (!classes.includes(DARK.quoteBar) || classes.includes(DARK.border))) {
      problems.push(`<${tag} class="${classes.join(" ")}"> quote bar`);
    }
  }
  return problems;
}

describe("rendered emails in dark mode", () => {
  const site = { url: "https://news.example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };

  for (const digest of digests) {
    it(`digest ${digest.id}: every coloured element switches palette`, { timeout: 60_000 }, async () => {
      const selected = selectItems(digest, items, null);
      const { html } = await renderDigest(digest, selected, { id: "x", date: "2026-11-30" }, site, SENT_AT);
      // Pull quotes (an article's highlights; an event's facts are shown once, as facts) keep their accent bar.
      if (selected.some((item) => item.kind === "article" && item.highlights.length > 0)) expect(html).toContain("border-left:4px solid");
      expect(unswitchedColours(html, themes[digest.theme].light)).toEqual([]);
    });
  }

  it("confirm-subscription and unsubscribed: every coloured element switches palette, the fallback link too", { timeout: 60_000 }, async () => {
    const confirm = await renderConfirmation({ confirmUrl: `${site.url}/confirm?token=a.b`, siteUrl: site.url, mailFrom: site.mailFrom, digestTitles: ["每周精选"] });
    const unsubscribed = await renderUnsubscribed({ siteUrl: site.url, mailFrom: site.mailFrom, resubscribeUrl: `${site.url}/#subscribe` });
    expect(confirm.html).toMatch(/<a class="em-accent" href="https:\/\/news\.example\.com\/confirm\?token=a\.b"/);
    for (const { html } of [confirm, unsubscribed]) expect(unswitchedColours(html, themes.classic.light)).toEqual([]);
  });
});
