/**
 * The one door to React Email. Everything behind it (React, react-dom/server,
 * html-to-text, the templates) is loaded on first use with a dynamic import, so
 * feed and page requests never evaluate React at cold start.
 */
import type { FunctionComponent } from "react";

export interface RenderedEmail {
  html: string;
  text: string;
}

/**
 * Plain text: links as "label https://…" (never lost), headings left as written rather
 * than upper-cased, each footer link on a line of its own (`data-text-line`).
 */
const PLAIN_TEXT_OPTIONS = {
  selectors: [
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "table", format: "block" },
    { selector: "tr", format: "block" },
    { selector: "td", format: "block" },
    { selector: "[data-text-line]", format: "block" },
  ],
};

export async function renderHtml<P extends object>(template: FunctionComponent<P>, props: P): Promise<string> {
  const { createElement, expandMsoConditionals, render } = await import("./email-runtime.ts");
  return expandMsoConditionals(await render(createElement(template, props)));
}

/**
 * Renders once to HTML, then derives the text part from that HTML. This is what
 * `render(element, { plainText: true })` does internally, minus a second React render.
 */
export async function renderEmail<P extends object>(template: FunctionComponent<P>, props: P): Promise<RenderedEmail> {
  const html = await renderHtml(template, props);
  const { toPlainText } = await import("./email-runtime.ts");
  const text = toPlainText(html, PLAIN_TEXT_OPTIONS)
    // Spacer cells (&nbsp;) leave blank-looking lines behind.
    .replace(/^[ \t\u00a0]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { html, text };
}
