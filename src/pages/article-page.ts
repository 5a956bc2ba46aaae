/** GET /articles/:slug: one item in full, with its source, tags and rights notice. */
import { html, raw } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { presentEvent, type EventPresentation } from "../content/event-presentation.ts";
import type { EventFacts } from "../content/item.ts";
import { articlePath, eventCalendarPath } from "../feeds/publication.ts";
import { formatBeijingTime, formatChineseDate } from "../text/beijing-time.ts";
import { tagLinks } from "./item-list.ts";
import { readingMinutes } from "../content/reading-time.ts";
import { feedAlternates, layout, type Html } from "./layout.ts";
import { articleCardPath, sharePage } from "./share.ts";

/** A recap once the event has ended (no registration, no calendar); otherwise when, where, how to register. */
function eventBox(slug: string, event: EventFacts, shown: EventPresentation): Html {
  const ended = shown.phase === "ended";
  return html`<aside class="event ${shown.phase}">
  <p class="event-label"><strong>${shown.label}</strong></p>
  <p>${shown.status}</p>
  ${ended ? "" : html`<p><strong>时间：</strong>${shown.when}</p>`}
  ${event.venue ? html`<p><strong>地点：</strong>${event.venue}</p>` : ""}
  ${event.sessions.map((s) => html`<p><strong>${formatChineseDate(s.date)}：</strong>${s.title}</p>`)}
  ${shown.deadline ? html`<p><strong>报名截止：</strong>${shown.deadline}</p>` : ""}
  ${shown.registrationUrl ? html`<p><a class="button" href="${shown.registrationUrl}">立即报名</a></p>` : ""}
  ${ended ? "" : html`<p><a href="${eventCalendarPath(slug)}">添加到日历</a></p>`}
</aside>`;
}

/** Article page as of `now` (the request time): an event item reads as a recap once it has ended. */
export function articlePage(item: ContentItem, siteUrl: string, now: Date): Html {
  const shown = item.event ? presentEvent(item.event, now, { countdown: false }) : null;
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
      share: sharePage(siteUrl, articlePath(item.slug), articleCardPath(item.slug), item.title, {
        published: item.published,
        modified: item.updated,
      }),
    },
    html`<article lang="${item.lang}">
<h1>${item.title}</h1>
<p class="meta">作者：${item.author} · 来源：${source} · <span class="nowrap">阅读约 ${readingMinutes(item.html)} 分钟</span></p>
<p class="meta">原文发表于 <time datetime="${item.published}">${formatBeijingTime(item.published)}</time>（北京时间）${updated} · 本站收录于 <time datetime="${item.added}">${formatBeijingTime(item.added)}</time></p>
${item.event && shown ? eventBox(item.slug, item.event, shown) : ""}
${raw(item.html)}
${item.registration && shown?.registrationOpen ? raw(item.registration.html) : ""}
<p class="meta">标签：</p>
${tagLinks(item.tags)}
${item.rights ? html`<footer class="rights">${item.rights}</footer>` : ""}
</article>`,
  );
}
