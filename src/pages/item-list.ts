/** The list of items shared by the home page and the tag pages: newest first, as given. */
import { html } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { articlePath, tagPath } from "../feeds/publication.ts";
import { formatBeijingTime } from "../text/beijing-time.ts";
import type { Html } from "./layout.ts";

export const tagLinks = (tags: readonly string[]): Html =>
  html`<ul class="tags">${tags.map((tag) => html`<li><a href="${tagPath(tag)}">#${tag}</a></li>`)}</ul>`;

export const itemList = (items: readonly ContentItem[]): Html =>
  html`<ul class="items">
${items.map(
  (item) => html`<li>
  <h2><a href="${articlePath(item.slug)}">${item.title}</a></h2>
  <p class="meta">原文发表于 <time datetime="${item.published}">${formatBeijingTime(item.published)}</time> · ${item.author} · ${item.source.name}${item.kind === "event" ? " · 活动" : ""}</p>
  <p>${item.summary}</p>
  ${tagLinks(item.tags)}
</li>`,
)}
</ul>`;
