/** GET /tags/:tag: the items with one tag, and that tag's own feeds. */
import { html } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { feedFormats, feedLabels, feedPath, publication, tagPath } from "../feeds/publication.ts";
import { itemList } from "./item-list.ts";
import { feedAlternates, layout, type Html } from "./layout.ts";
import { sharePage, siteCardPath } from "./share.ts";

export function tagPage(tag: string, items: readonly ContentItem[], siteUrl: string): Html {
  return layout(
    {
      title: `#${tag}`,
      canonical: `${siteUrl}${tagPath(tag)}`,
      alternates: [...feedAlternates(siteUrl, tag), ...feedAlternates(siteUrl)],
      description: `「${tag}」标签下的 ${items.length} 篇文章`,
      share: sharePage(siteUrl, tagPath(tag), siteCardPath, publication.title),
    },
    html`<h1>#${tag}</h1>
<p class="meta">共 ${items.length} 篇 · 只订阅这个标签：</p>
<ul class="links">${feedFormats.map((format) => html`<li><a href="${siteUrl}${feedPath(format, tag)}">${feedLabels[format]}</a></li>`)}</ul>
${itemList(items)}`,
  );
}
