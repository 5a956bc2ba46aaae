/** /admin: subscribers by status beside RSS readers, growth from the event log, feed readers and WebSub, recent editions' rates beside the providers' limits. */
import { html, raw } from "hono/html";
import { getDigest } from "../../digests/catalog.ts";
import type { MailFailure } from "../../email/mail-failures-store.ts";
import type { Html } from "../../pages/layout.ts";
import { subscriberStatuses } from "../../subscribers/store.ts";
import type { FeedReaders } from "../../feeds/audience-store.ts";
import { barChart, lineChart } from "../plots.ts";
import { ATTRIBUTION_DAYS } from "../../delivery/ledger-store.ts";
import type { EditionSummary } from "../../delivery/edition-summaries.ts";
import type { GrowthDay, StatusCounts } from "../../subscribers/counts-store.ts";
import { formatChineseDate, shortChineseDate } from "../../text/beijing-time.ts";
import { feedReadersCard, feedReadersSection } from "./feed-readers-section.ts";
import { beijing, consoleLayout, editionStatusLabel, formatCount, formatRate, SUBSCRIBER_STATUS_LABELS } from "./admin-layout.ts";

/** Gmail's and Yahoo's bulk-sender rule: spam complaints below 0.3% (aim for 0.1%). */
export const COMPLAINT_LIMIT = 0.003;
/** Permanent bounces: senders' usual warning line (providers review accounts above it). */
export const BOUNCE_LIMIT = 0.04;

const GROWTH_LABELS = { subscribed: "订阅（含导入）", confirmed: "确认", unsubscribed: "退订", bouncedOrComplained: "退信或投诉" } as const;
const growthKeys = Object.keys(GROWTH_LABELS) as (keyof typeof GROWTH_LABELS)[];

export const rateOf = (part: number, sent: number): number => (sent === 0 ? 0 : part / sent);

export function editionTable(editions: EditionSummary[]): Html {
  if (editions.length === 0) return html`<p>还没有发送过任何一期。</p>`;
  return html`<table>
<thead><tr><th>期号</th><th>简报</th><th>状态</th><th>开始时间（北京）</th><th class="n">排队</th><th class="n">已发送</th><th class="n">失败</th><th class="n">跳过</th></tr></thead>
<tbody>
${editions.map(
  (e) => html`<tr><td><a href="/admin/editions/${encodeURIComponent(e.id)}">${e.id}</a></td><td>${getDigest(e.digestId)?.title ?? e.digestId}</td><td>${editionStatusLabel(e.status, e.counts)}</td><td>${beijing(e.createdAt)}</td><td class="n">${formatCount(e.counts.queued)}</td><td class="n">${formatCount(e.counts.sent)}</td><td class="n">${formatCount(e.counts.failed)}</td><td class="n">${formatCount(e.counts.skipped)}</td></tr>\n`,
)}
</tbody></table>`;
}

function rates(editions: EditionSummary[]): Html {
  const sent = editions.filter((e) => e.counts.sent > 0).reverse();
  if (sent.length === 0) return html`<p>还没有已发送的一期，暂无退信率和投诉率。</p>`;
  const complaintPlot = barChart({
    title: "近期各期投诉率",
    bars: sent.map((e) => ({ label: e.id, value: rateOf(e.complained, e.counts.sent) })),
    format: formatRate,
    limit: { value: COMPLAINT_LIMIT, label: "Gmail/Yahoo 上限" },
  });
  const bouncePlot = barChart({
    title: "近期各期硬退信率",
    bars: sent.map((e) => ({ label: e.id, value: rateOf(e.bounced, e.counts.sent) })),
    format: formatRate,
    limit: { value: BOUNCE_LIMIT, label: "警戒线" },
  });
  const cell = (part: number, total: number, limit: number) => {
    const rate = rateOf(part, total);
    return html`<td class="n ${rate >= limit ? "over" : ""}">${formatRate(rate)}（${formatCount(part)}）</td>`;
  };
  return html`<div class="grid">
<figure class="panel">${raw(complaintPlot)}<figcaption class="meta">投诉率须低于 ${formatRate(COMPLAINT_LIMIT)}（Gmail 与 Yahoo 对批量发件人的要求，建议低于 0.10%）。</figcaption></figure>
<figure class="panel">${raw(bouncePlot)}<figcaption class="meta">硬退信率宜低于 ${formatRate(BOUNCE_LIMIT)}。</figcaption></figure>
</div>
<table class="rates">
<thead><tr><th>期号</th><th class="n">已发送</th><th class="n">投诉率（次数）</th><th class="n">硬退信率（次数）</th></tr></thead>
<tbody>
${sent.map((e) => html`<tr><td>${e.id}</td><td class="n">${formatCount(e.counts.sent)}</td>${cell(e.complained, e.counts.sent, COMPLAINT_LIMIT)}${cell(e.bounced, e.counts.sent, BOUNCE_LIMIT)}</tr>\n`)}
</tbody></table>
<p class="meta">退信和投诉记在收件人名下而不记期号：发出后 ${ATTRIBUTION_DAYS} 天内收到该期的读者的退信、投诉计入该期。</p>`;
}

const MAIL_KIND_LABELS: Record<MailFailure["kind"], string> = { confirmation: "确认邮件", welcome: "欢迎邮件", goodbye: "退订告别邮件" };

/** Confirmations, welcomes and goodbyes that were not sent: the reader asked, the provider refused or never answered. */
function mailFailureTable(failures: MailFailure[]): Html {
  if (failures.length === 0) return html`<p>没有发送失败的事务邮件。</p>`;
  return html`<table class="mail-failures">
<thead><tr><th>时间（北京）</th><th>邮件</th><th>收件人</th><th>原因</th></tr></thead>
<tbody>
${failures.map((f) => html`<tr><td>${beijing(f.failedAt)}</td><td>${MAIL_KIND_LABELS[f.kind]}</td><td>${f.recipient}</td><td>${f.reason}</td></tr>
`)}
</tbody></table>`;
}

export function dashboardPage(statuses: StatusCounts, growth: GrowthDay[], editions: EditionSummary[], readers: FeedReaders, mailFailures: MailFailure[]): Html {
  const total = subscriberStatuses.reduce((sum, status) => sum + statuses[status], 0);
  const growthPlot = lineChart({
    title: `最近 ${growth.length} 天的订阅变化`,
    labels: growth.map((day) => shortChineseDate(day.day)),
    series: growthKeys.map((key) => ({ name: GROWTH_LABELS[key], values: growth.map((day) => day.counts[key]) })),
  });
  return consoleLayout(
    { title: "概览" },
    html`<h1>概览</h1>
<h2>订阅者</h2>
<div class="cards">
<div class="card"><span class="meta">全部</span><b data-status="all">${formatCount(total)}</b></div>
${subscriberStatuses.map(
  (status) => html`<a class="card" href="/admin/subscribers?status=${status}"><span class="meta">${SUBSCRIBER_STATUS_LABELS[status]}</span><b data-status="${status}">${formatCount(statuses[status])}</b></a>`,
)}
${feedReadersCard(readers)}
</div>
<h2>订阅增长（按北京时间每日）</h2>
<div class="grid">
<figure class="panel">${raw(growthPlot)}</figure>
<div class="panel" style="max-height:22rem;overflow:auto"><table class="growth">
<thead><tr><th>日期</th>${growthKeys.map((key) => html`<th class="n">${GROWTH_LABELS[key]}</th>`)}</tr></thead>
<tbody>${[...growth].reverse().map((day) => html`<tr><td>${formatChineseDate(day.day)}</td>${growthKeys.map((key) => html`<td class="n">${day.counts[key]}</td>`)}</tr>`)}</tbody>
</table></div>
</div>
${feedReadersSection(readers)}
<h2>退信率与投诉率</h2>
${rates(editions)}
<h2>最近各期</h2>
${editionTable(editions)}
<h2>事务邮件发送失败</h2>
<p class="meta">确认邮件、欢迎邮件和退订告别邮件在多次重试后仍未送达邮件服务商，或被服务商拒绝；最近 ${mailFailures.length} 条。</p>
${mailFailureTable(mailFailures)}`,
  );
}
