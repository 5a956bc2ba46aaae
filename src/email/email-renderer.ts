/**
 * The one door to React Email. Everything behind it (React, react-dom/server, the
 * templates) is loaded on first use with a dynamic import, so feed and page requests
 * never evaluate React at cold start.
 */
import type { FunctionComponent } from "react";
import { emailPlainText } from "./email-plain-text.ts";

export interface RenderedEmail {
  html: string;
  text: string;
}

export async function renderHtml<P extends object>(template: FunctionComponent<P>, props: P): Promise<string> {
  const { createElement, expandMsoConditionals, render } = await import("./email-runtime.ts");
  return expandMsoConditionals(await render(createElement(template, props)));
}

/**
 * Renders once to HTML, then derives the text part from that HTML (email-plain-text.ts:
 * what `render(element, { plainText: true })` gives, without html-to-text in the bundle
 * and without a second React render).
 */
export async function renderEmail<P extends object>(template: FunctionComponent<P>, props: P): Promise<RenderedEmail> {
  const html = await renderHtml(template, props);
  return { html, text: emailPlainText(html) };
}
