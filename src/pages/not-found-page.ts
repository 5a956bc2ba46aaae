/** The 404 page of the site: what was not found, and the way back. */
import { html } from "hono/html";
import { layout, type Html } from "./layout.ts";

/**
 * The part of the address a reader typed, echoed as it is: code, not a word to translate
 * (a Latin slug stays Latin), and set apart from the sentence around it.
 */
export const typed = (value: string): Html => html`<code>${value}</code>`;

export const notFoundPage = (what: Html | string): Html =>
  layout(
    { title: "找不到页面" },
    html`<h1>找不到页面</h1>
<p>${what}</p>
<p><a href="/">返回首页</a></p>`,
  );

/** A 404 answered with the page; not cached long, since the next deploy may add the missing item. */
export async function notFoundResponse(what: Html | string): Promise<Response> {
  return new Response(String(await notFoundPage(what)), {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=60" },
  });
}
