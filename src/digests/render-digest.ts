/**
 * Renders a digest edition once; each recipient's copy is then made by
 * `personalize`, which splices their own links into the rendered parts instead
 * of rendering again. Pure: no I/O.
 */
import type { ThemeName } from "../../emails/theme.ts";
import type { ContentItem } from "../content/item.ts";
import { renderEmail, renderHtml } from "../email/email-renderer.ts";
import { escapeHtml } from "../text/escape-html.ts";
import { digestEmailProps, type EditionRef, type RecipientLinks, type SiteRef } from "./digest-view.ts";
import { editionSubject } from "./inbox-line.ts";
import type { Digest } from "./digest.ts";

export interface RenderedDigest {
  subject: string;
  preheader: string;
  /** Contain placeholder links until `personalize` replaces them. */
  html: string;
  text: string;
}

/**
 * Stand-ins for the recipient's links: absolute URLs on a reserved domain
 * (RFC 2606 `.invalid`) so they pass through React and the text conversion untouched.
 */
export const RECIPIENT_PLACEHOLDERS = {
  unsubscribeUrl: "https://recipient.invalid/unsubscribe",
  preferencesUrl: "https://recipient.invalid/preferences",
} as const satisfies RecipientLinks;

export async function renderDigest(
  digest: Digest,
  items: readonly ContentItem[],
  edition: EditionRef,
  site: SiteRef,
  /** The send time: events are presented as of then (passed in, never read here). */
  now: Date,
  options: { theme?: ThemeName; alreadySent?: number } = {},
): Promise<RenderedDigest> {
  const template = await import("../../emails/digest.tsx");
  const props = {
    ...digestEmailProps(digest, items, edition, site, now, RECIPIENT_PLACEHOLDERS, options.theme),
    alreadySent: options.alreadySent ?? 0,
  };
  const { html, text } = await renderEmail(template.default, props);
  const subject = editionSubject(digest, items, edition, now);
  const rendered = { subject, preheader: props.preheader, html, text };
  splitCache.set(rendered, { html: split(html), text: split(text) });
  return rendered;
}

/** The public web version of an edition ("view in browser"): no recipient, a subscribe link instead. */
export async function renderWebVersion(
  digest: Digest,
  items: readonly ContentItem[],
  edition: EditionRef,
  site: SiteRef,
  /** The request time. */
  now: Date,
): Promise<string> {
  const template = await import("../../emails/digest.tsx");
  return renderHtml(template.default, digestEmailProps(digest, items, edition, site, now, null));
}

/** A rendered part cut at the placeholders: literals[i], link slots[i], literals[i + 1], … */
interface Parts {
  literals: string[];
  /** true: preferences link, false: unsubscribe link. */
  slots: boolean[];
}

const PLACEHOLDER = /(https:\/\/recipient\.invalid\/(?:unsubscribe|preferences))/;

function split(rendered: string): Parts {
  const pieces = rendered.split(PLACEHOLDER);
  const literals: string[] = [];
  const slots: boolean[] = [];
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) literals.push(pieces[i] ?? "");
    else slots.push(pieces[i] === RECIPIENT_PLACEHOLDERS.preferencesUrl);
  }
  return { literals, slots };
}

/** Filled by renderDigest; an edition that went through JSON (a queue message) is split on first use. */
const splitCache = new WeakMap<RenderedDigest, { html: Parts; text: Parts }>();

function join(parts: Parts, unsubscribe: string, preferences: string): string {
  const { literals, slots } = parts;
  let out = literals[0] ?? "";
  for (let i = 0; i < slots.length; i++) out += (slots[i] ? preferences : unsubscribe) + (literals[i + 1] ?? "");
  return out;
}

const ATTRIBUTE_UNSAFE = /[&"<>]/;
const escapeAttribute = (url: string) => (ATTRIBUTE_UNSAFE.test(url) ? escapeHtml(url) : url);

/**
 * Provider template variables standing for a recipient's links: in the HTML (attribute-
 * escaped) and in the text (as they are). Resend's keys: ASCII letters, digits and
 * underscores, none of its reserved names (UNSUBSCRIBE_URL among them).
 */
export const LINK_VARIABLES = {
  unsubscribeHtml: "READER_UNSUBSCRIBE_HTML",
  preferencesHtml: "READER_PREFERENCES_HTML",
  unsubscribeText: "READER_UNSUBSCRIBE_TEXT",
  preferencesText: "READER_PREFERENCES_TEXT",
} as const;

const slot = (key: string) => `{{{${key}}}}`;

/** The edition as a provider template: every recipient link a variable (LINK_VARIABLES). */
export function asTemplate(rendered: RenderedDigest): { html: string; text: string } {
  const parts = splitParts(rendered);
  return {
    html: join(parts.html, slot(LINK_VARIABLES.unsubscribeHtml), slot(LINK_VARIABLES.preferencesHtml)),
    text: join(parts.text, slot(LINK_VARIABLES.unsubscribeText), slot(LINK_VARIABLES.preferencesText)),
  };
}

/** A recipient's values for the template's variables: what `personalize` would put in. */
export function templateVariables(links: RecipientLinks): Record<string, string> {
  return {
    [LINK_VARIABLES.unsubscribeHtml]: escapeAttribute(links.unsubscribeUrl),
    [LINK_VARIABLES.preferencesHtml]: escapeAttribute(links.preferencesUrl),
    [LINK_VARIABLES.unsubscribeText]: links.unsubscribeUrl,
    [LINK_VARIABLES.preferencesText]: links.preferencesUrl,
  };
}

function splitParts(rendered: RenderedDigest): { html: Parts; text: Parts } {
  let parts = splitCache.get(rendered);
  if (!parts) {
    parts = { html: split(rendered.html), text: split(rendered.text) };
    splitCache.set(rendered, parts);
  }
  return parts;
}

/** The recipient's copy of an edition: their own unsubscribe and preferences links. */
export function personalize(rendered: RenderedDigest, links: RecipientLinks): { html: string; text: string } {
  const parts = splitParts(rendered);
  return {
    html: join(parts.html, escapeAttribute(links.unsubscribeUrl), escapeAttribute(links.preferencesUrl)),
    text: join(parts.text, links.unsubscribeUrl, links.preferencesUrl),
  };
}
