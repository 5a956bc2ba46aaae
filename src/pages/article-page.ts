/** GET /articles/:slug: one item in full, with its source, tags and rights notice. */
import { html, raw } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { articlePath } from "../feeds/publication.ts";
import { chineseDateRange } from "../digests/beijing-time.ts";
import { formatBeijingTime, formatChineseDate } from "./beijing-time.ts";
import { tagLinks } from "./item-list.ts";
import { feedAlternates, layout, type Html } from "./layout.ts";

function eventBox(event: NonNullable<ContentItem["event"]>): Html {
  return html`<aside class="event">
  <p><strong>活动时间：</strong>${chineseDateRange(event.starts, event.ends)}</p>
  ${event.sessions.map((s) => html`<p><strong>${formatChineseDate(s.date)}：</strong>${s.title}</p>`)}
</aside>`;
}

export function articlePage(item: ContentItem, siteUrl: string): Html {
  const source = item.source.url ? html`<a href="${item.source.url}">${item.source.name}</a>` : item.source.name;
  const updated = item.updated
    ? html` · 更新于 <time datetime="${item.updated}">${formatBeijingTime(item.updated)}</time>`
    : "";
  return layout(
    {
      title: item.title,
      description: item.summary,
      canonical: `${siteUrl}${articlePath(item.slug)}`,
      alternates: feedAlternates(siteUrl),
    },
    html`<article lang="${item.lang}">
<h1>${item.title}</h1>
<p class="meta">作者：${item.author} · 来源：${source}</p>
<p class="meta">发布于 <time datetime="${item.published}">${formatBeijingTime(item.published)}</time>（北京时间）${updated}</p>
${item.event ? eventBox(item.event) : ""}
${raw(item.html)}
<p class="meta">标签：</p>
${tagLinks(item.tags)}
${item.rights ? html`<footer class="rights">${item.rights}</footer>` : ""}
</article>`,
  );
}
