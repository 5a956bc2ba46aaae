/**
 * Every template's HTML linted against caniemail's data (@jsx-email/doiuse-email) for
 * Gmail, Outlook, Apple Mail and Yahoo. A feature it flags must either go or be listed
 * below with the reason it degrades safely (docs/digests.md, "Email clients", repeats these lists).
 */
import { doIUseEmail } from "@jsx-email/doiuse-email";
import { describe, expect, it } from "vitest";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { renderDigest, renderWebVersion } from "../src/digests/render-digest.ts";
import { renderConfirmation, renderUnsubscribed } from "../src/email/render-transactional.ts";
import { selectItems } from "../src/digests/select.ts";

/** When these copies are sent: the seed's event is long over by then (a recap). */
const SENT_AT = new Date("2026-11-30T08:00:00+08:00");

const CLIENTS = ["gmail.*", "outlook.*", "apple-mail.*", "yahoo.*"];

/** Flagged "not supported" by some of CLIENTS, and why that is safe. */
const UNSUPPORTED_BUT_SAFE: Record<string, string> = {
  "@media": "Only dark mode and the phone padding live in media queries; without them the light palette and the fluid column remain.",
  "<body> element": "Background, font and lang are repeated on a wrapper <div> and the outer cell.",
  "display:none": "Hides the preheader and the plain-text-only lines; where unsupported, max-height:0 and overflow:hidden still collapse them (and mso-hide in Outlook).",
  overflow: "Only a fallback for display:none on hidden lines.",
  "role attribute": "role=presentation only tells screen readers the tables are layout; without it they read the tables as tables.",
  "border-radius": "Square corners on the column and the buttons.",
  "target attribute": "Added by @react-email/button; these clients open links in a new window anyway.",
  "word-break": "Only breaks the long confirmation URL; unbroken, it wraps at the column edge or scrolls.",
  "white-space": "nowrap only keeps a footer link's label in one piece; Outlook for Windows may break a label, which stays a working link.",
};

/** Flagged "partially supported", and why our use is inside the supported part. */
const PARTIAL_BUT_SAFE: Record<string, string> = {
  "@media": "prefers-color-scheme and max-width queries, not nested, not height-based.",
  "dir attribute": "ltr only, never on links.",
  "lang attribute": "On <html> and a <div>, never only on a <td>.",
  "<body> element": "Gmail and Yahoo turn it into a <div>: the wrapper carries what matters.",
  margin: "No negative or auto margins where layout depends on them; spacing sits in cell padding and spacer cells.",
  padding: "On table cells only (Outlook for Windows ignores it elsewhere).",
  display: "Only display:none (hidden lines) and inline-block (the button).",
  "display:none": "Never relied on for a nested table: hidden lines are plain <div>/<span> with mso-hide:all.",
  "line-height": "Unitless or px; spacer and rule cells use mso-line-height-rule:exactly.",
  "max-width": "On the column table; Outlook for Windows gets the fixed 600 px conditional table instead.",
  "font-size": "px only.",
  "role attribute": "On <table> only.",
  "width attribute": "Only on tables and cells, no images.",
  "height attribute": "Only on rule cells, no images.",
  "align attribute": "center/left on tables and cells; left/right floats are not used for layout.",
  "border-radius": "Plain px radii, no elliptical shorthand.",
  "text-align": "left, right or center, never start/end.",
  "text-decoration": "One value (none or underline).",
  "letter-spacing": "A small positive em value on the kicker.",
  "font-weight": "700 only (bold everywhere).",
  "target attribute": "See above: links open in a new window in these clients.",
  "word-break": "break-all on the confirmation URL, which is what these clients render anyway.",
  overflow: "Hidden lines only; nothing the reader needs to scroll to.",
  "white-space": "nowrap (never pre), on footer links only.",
};

const site = { url: "https://news.example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const edition = { id: "weekly-2026-11-30", date: "2026-11-30" };

/** Each template, rendered the way it is sent (digests in their own theme, and their web versions). */
const templates: [string, () => Promise<string>][] = [
  ...digests.flatMap((digest): [string, () => Promise<string>][] => {
    const selected = selectItems(digest, items, null);
    return [
      [`digest ${digest.id}`, async () => (await renderDigest(digest, selected, edition, site, SENT_AT)).html],
      [`web version of ${digest.id}`, () => renderWebVersion(digest, selected, edition, site, SENT_AT)],
    ];
  }),
  [
    "confirm-subscription",
    async () =>
      (await renderConfirmation({ confirmUrl: `${site.url}/confirm?token=a.b`, siteUrl: site.url, mailFrom: site.mailFrom, digestTitles: ["每周精选"] })).html,
  ],
  ["unsubscribed", async () => (await renderUnsubscribed({ siteUrl: site.url, mailFrom: site.mailFrom, resubscribeUrl: `${site.url}/#subscribe` })).html],
];

/** "`overflow` is not supported by `outlook.windows`" → "overflow" */
const featureOf = (message: string) => /^`(.+?)` is /.exec(message)?.[1] ?? message;

function lint(html: string) {
  const result = doIUseEmail(html, { emailClients: CLIENTS });
  const errors = result.success ? [] : result.errors;
  return { unsupported: new Set(errors.map(featureOf)), partial: new Set(result.warnings.map(featureOf)) };
}

describe("email HTML against caniemail (Gmail, Outlook, Apple Mail, Yahoo)", () => {
  it("flags what those clients lack, so a clean result means something", () => {
    const { unsupported } = lint('<html><body><div style="display:flex;background-image:url(x.png)">x</div></body></html>');
    expect(unsupported).toContain("display:flex");
  });

  const flagged = { unsupported: new Set<string>(), partial: new Set<string>() };

  // React renders slowly in the test pool's development build: a generous timeout, not a speed target.
  it.each(templates)("flags nothing in %s but features that degrade safely", { timeout: 60_000 }, async (_name, render) => {
    const { unsupported, partial } = lint(await render());
    expect([...unsupported].filter((f) => !(f in UNSUPPORTED_BUT_SAFE))).toEqual([]);
    expect([...partial].filter((f) => !(f in PARTIAL_BUT_SAFE))).toEqual([]);
    for (const f of unsupported) flagged.unsupported.add(f);
    for (const f of partial) flagged.partial.add(f);
  });

  it("lists no stale excuses: every listed feature is still flagged by some template", () => {
    expect(Object.keys(UNSUPPORTED_BUT_SAFE).filter((f) => !flagged.unsupported.has(f))).toEqual([]);
    expect(Object.keys(PARTIAL_BUT_SAFE).filter((f) => !flagged.partial.has(f))).toEqual([]);
  });
});
