/** The dashboard's feed readers: RSS readers per day, by reader service and by feed, and WebSub subscriptions. */
import { html, raw } from "hono/html";
import type { FeedReaders } from "../../feeds/audience-store.ts";
import type { Html } from "../../pages/layout.ts";
import { formatChineseDate, shortChineseDate } from "../../text/beijing-time.ts";
import { lineChart } from "../plots.ts";
import { formatCount } from "./admin-layout.ts";

/** The card shown beside the email subscribers' cards. */
export const feedReadersCard = (readers: FeedReaders): Html =>
  html`<a class="card" href="#feed-readers"><span class="meta">RSS 读者</span><b data-feed-readers>${formatCount(readers.latest.readers)}</b></a>`;

export function feedReadersSection(readers: FeedReaders): Html {
  const { daily, latest, websub } = readers;
  const plot = lineChart({
    title: `最近 ${daily.length} 天的 RSS 读者`,
    labels: daily.map((day) => shortChineseDate(day.day)),
    series: [
      { name: "合计", values: daily.map((day) => day.readers) },
      { name: "阅读器服务报告的订阅数", values: daily.map((day) => day.serviceSubscribers) },
      { name: "其他客户端", values: daily.map((day) => day.otherClients) },
    ],
  });
  const services =
    latest.services.length === 0
      ? html`<p>${latest.day ? `${formatChineseDate(latest.day)}没有阅读器服务报告订阅数。` : "还没有订阅源被抓取过。"}</p>`
      : html`<table class="services">
<thead><tr><th>阅读器服务</th><th class="n">订阅数</th></tr></thead>
<tbody>${latest.services.map((s) => html`<tr><td>${s.service}</td><td class="n" data-service="${s.service}">${formatCount(s.subscribers)}</td></tr>`)}
<tr><td>其他客户端（每个计 1 位）</td><td class="n" data-service="other">${formatCount(latest.otherClients)}</td></tr></tbody>
</table>`;
  const feeds =
    latest.feeds.length === 0
      ? ""
      : html`<table class="feeds">
<thead><tr><th>订阅源</th><th class="n">读者</th></tr></thead>
<tbody>${latest.feeds.map((f) => html`<tr><td><a href="${f.feed}">${f.feed}</a></td><td class="n">${formatCount(f.readers)}</td></tr>`)}</tbody>
</table>`;
  const topics =
    websub.topics.length === 0
      ? html`<p>还没有 WebSub 订阅。</p>`
      : html`<table class="websub">
<thead><tr><th>订阅源（WebSub topic）</th><th class="n">订阅</th></tr></thead>
<tbody>${websub.topics.map((t) => html`<tr><td>${t.topic}</td><td class="n">${formatCount(t.subscriptions)}</td></tr>`)}</tbody>
</table>`;
  return html`<h2 id="feed-readers">RSS 读者（${latest.day ? formatChineseDate(latest.day) : "暂无数据"}）</h2>
<div class="cards">
<div class="card"><span class="meta">RSS 读者</span><b>${formatCount(latest.readers)}</b></div>
<div class="card"><span class="meta">WebSub 订阅</span><b data-websub-subscriptions>${formatCount(websub.subscriptions)}</b></div>
</div>
<div class="grid">
<figure class="panel">${raw(plot)}</figure>
<div class="panel">${services}${feeds}</div>
</div>
<p class="meta">阅读器服务（Feedly、Inoreader 等）在抓取时报告各自的订阅人数，按每个服务当天最近一次报告计；其他客户端按北京时间每天每个不同客户端计 1 位。不保存 IP 地址或完整的 User-Agent。</p>
<h3>WebSub 订阅</h3>
${topics}`;
}
