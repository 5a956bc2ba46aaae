/** GET /tags/:tag: the items with one tag, and that tag's own feeds. */
import { html } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { tagPath } from "../feeds/publication.ts";
import { itemList } from "./item-list.ts";
import { feedAlternates, layout, type Html } from "./layout.ts";

export function tagPage(tag: string, items: readonly ContentItem[], siteUrl: string): Html {
  const feeds = feedAlternates(siteUrl, tag);
  return layout(
    { title: `#${tag}`, canonical: `${siteUrl}${tagPath(tag)}`, alternates: [...feeds, ...feedAlternates(siteUrl)] },
    html`<h1>#${tag}</h1>
<p class="meta">订阅这个标签：${feeds.map((feed) => html`<a href="${feed.href}">${feed.title}</a> `)}</p>
${itemList(items)}`,
  );
}
