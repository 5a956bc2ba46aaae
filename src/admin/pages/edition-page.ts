/**
 * /admin/editions/:edition: status and progress (updated in place by console.js from
 * progress.json while sending; a no-script refresh otherwise), deliveries over time,
 * failures per kind with their reasons, retry-failed (temporary failures only) and resume.
 */
import { html, raw } from "hono/html";
import { getDigest } from "../../digests/catalog.ts";
import type { DeliveryFailure, EditionReport } from "../../delivery/operator-sends.ts";
import type { DeliveryCounts, FailureCounts } from "../../delivery/ledger-store.ts";
import { FAILURE_KINDS, type FailureKind } from "../../email/failure-kind.ts";
import type { Html } from "../../pages/layout.ts";
import { lineChart } from "../plots.ts";
import type { DeliveryMoment } from "../../delivery/ledger-store.ts";
import { beijing, consoleLayout, DELIVERY_STATUS_LABELS, editionStatusLabel, formatCount, notice } from "./admin-layout.ts";
import { FAILURE_KIND_LABELS, providerReason, reasonMeaning } from "./provider-reason.ts";

const countKeys = ["queued", "sent", "failed", "skipped"] as const;

/** What progress.json answers and the page shows. */
export function progressOf({ edition, counts, failedByKind }: Pick<EditionReport, "edition" | "counts" | "failedByKind">) {
  const total = countKeys.reduce((sum, key) => sum + counts[key], 0);
  const errorLabel = edition.error ? reasonMeaning(edition.error) : null;
  return {
    edition: edition.id,
    status: edition.status,
    statusLabel: editionStatusLabel(edition.status, counts),
    error: edition.error,
    errorLabel,
    counts,
    failedByKind,
    total,
  };
}

/** "HH:MM:SS" in Beijing of an ISO instant. */
const beijingClock = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 19);

/** At most this many points: a long send is drawn in buckets of several seconds. */
const MAX_POINTS = 60;

/** Cumulative sent / failed / skipped over time, bucketed to at most MAX_POINTS. */
export function cumulativeDeliveries(moments: DeliveryMoment[]): { labels: string[]; sent: number[]; failed: number[]; skipped: number[] } {
  const size = Math.max(1, Math.ceil(moments.length / MAX_POINTS));
  const labels: string[] = [];
  const totals = { sent: [] as number[], failed: [] as number[], skipped: [] as number[] };
  const running = { sent: 0, failed: 0, skipped: 0 };
  for (let i = 0; i < moments.length; i += size) {
    const bucket = moments.slice(i, i + size);
    for (const moment of bucket) {
      running.sent += moment.sent;
      running.failed += moment.failed;
      running.skipped += moment.skipped;
    }
    labels.push(beijingClock(bucket.at(-1)?.at ?? ""));
    totals.sent.push(running.sent);
    totals.failed.push(running.failed);
    totals.skipped.push(running.skipped);
  }
  return { labels, ...totals };
}

function countsTable(counts: DeliveryCounts, total: number): Html {
  return html`<div class="cards">
${countKeys.map((key) => html`<div class="card"><span class="meta">${DELIVERY_STATUS_LABELS[key]}</span><b data-count="${key}">${formatCount(counts[key])}</b></div>`)}
<div class="card"><span class="meta">合计</span><b data-count="total">${formatCount(total)}</b></div>
</div>`;
}

function failureKindCards(failedByKind: FailureCounts): Html {
  return html`<div class="cards">
${FAILURE_KINDS.map((kind) => html`<div class="card"><span class="meta">${FAILURE_KIND_LABELS[kind]}</span><b data-failed="${kind}">${formatCount(failedByKind[kind])}</b></div>`)}
</div>`;
}

/** Retry-failed: how many it will send again, or (disabled) why there is nothing to retry. */
function retryForm(editionId: string, { permanent, temporary }: FailureCounts): Html {
  const action = `/admin/editions/${encodeURIComponent(editionId)}/retry-failed`;
  const neverRetried = permanent > 0 ? html`永久失败的 ${formatCount(permanent)} 位不会重试。` : "";
  if (temporary === 0) {
    const reason =
      permanent > 0
        ? `没有可重试的收件人：失败的 ${formatCount(permanent)} 位都是永久失败（地址无效或退信），重试也无法送达。`
        : "没有可重试的收件人：这一期没有失败的收件人。";
    return html`<form method="post" action="${action}" class="panel">
  <p><button type="submit" disabled aria-describedby="retry-reason">重试临时失败的收件人</button></p>
  <p id="retry-reason" class="meta">${reason}</p>
</form>`;
  }
  return html`<form method="post" action="${action}" class="panel">
  <p>重新发送给 ${formatCount(temporary)} 位临时失败的收件人（新的批次，不会重复发给已发送的人；其间退订或被停止投递的读者会跳过）。${neverRetried}</p>
  <p><button type="submit">重试 ${formatCount(temporary)} 位临时失败的收件人</button></p>
</form>`;
}

/** One kind's failures: addresses with what the reason means, the provider's words folded inside. */
function failureTable(kind: FailureKind, failures: DeliveryFailure[], count: number): Html | string {
  const listed = failures.filter((failure) => failure.kind === kind);
  if (count === 0) return "";
  return html`<h3>${FAILURE_KIND_LABELS[kind]}（${formatCount(count)}）</h3>
<table class="failures" data-kind="${kind}"><thead><tr><th>地址</th><th>原因</th></tr></thead>
<tbody>${listed.map((failure) => html`<tr><td>${failure.email}</td><td class="prose">${providerReason(failure.reason, kind)}</td></tr>`)}</tbody></table>
${listed.length < count ? html`<p class="meta">仅列出前 ${formatCount(listed.length)} 位。</p>` : ""}`;
}

/** Bounces and complaints after delivery: accepted by the provider (so counted as sent), then refused by the mailbox or the reader. */
function afterDelivery(bounced: number, complained: number): Html | string {
  if (bounced === 0 && complained === 0) return "";
  return html`<p class="meta">另有送达后退信 ${formatCount(bounced)} 位、投诉 ${formatCount(complained)} 位：已停止向这些地址投递，也不会重试。</p>`;
}

export function editionPage(report: EditionReport, moments: DeliveryMoment[], message: string | null): Html {
  const { edition, failures, failedByKind } = report;
  const progress = progressOf(report);
  const digest = getDigest(edition.digestId);
  const done = progress.counts.sent + progress.counts.failed + progress.counts.skipped;
  const sending = edition.status === "sending";
  const timeline = cumulativeDeliveries(moments);
  return consoleLayout(
    {
      title: edition.id,
      ...(sending ? { head: html`<noscript><meta http-equiv="refresh" content="5" /></noscript>` } : {}),
    },
    html`<h1>${edition.subject}</h1>
${notice(message)}
<p class="meta">期号 ${edition.id} · ${digest ? html`<a href="/admin/digests/${digest.id}">${digest.title}</a>` : edition.digestId} · ${edition.trigger === "cron" ? "定时发送" : "手动发送"} · 开始于北京时间 ${beijing(edition.createdAt)} · 完成于 ${beijing(edition.completedAt)} · <a href="/digests/${edition.digestId}/editions/${encodeURIComponent(edition.id)}">网页版</a></p>
<section id="progress" data-progress-url="/admin/editions/${encodeURIComponent(edition.id)}/progress.json" data-status="${edition.status}">
<p>状态：<b data-field="status">${progress.statusLabel}</b> <span data-field="error" class="over">${edition.error ? providerReason(edition.error) : ""}</span></p>
<progress max="${Math.max(progress.total, 1)}" value="${done}" data-field="progress">${done} / ${progress.total}</progress>
${countsTable(progress.counts, progress.total)}
${failureKindCards(failedByKind)}
</section>
<h2>投递进度</h2>
${
  moments.length === 0
    ? html`<p>还没有收件人到达最终状态。</p>`
    : html`<div class="grid">
<figure class="panel">${raw(
        lineChart({
          title: "累计投递（按时间）",
          labels: timeline.labels,
          series: [
            { name: "已发送", values: timeline.sent },
            { name: "失败", values: timeline.failed },
            { name: "已跳过", values: timeline.skipped },
          ],
        }),
      )}</figure>
<div class="panel" style="max-height:22rem;overflow:auto"><table class="timeline">
<thead><tr><th>时间（北京）</th><th class="n">已发送</th><th class="n">失败</th><th class="n">已跳过</th></tr></thead>
<tbody>${timeline.labels.map((label, i) => html`<tr><td>${label}</td><td class="n">${timeline.sent[i]}</td><td class="n">${timeline.failed[i]}</td><td class="n">${timeline.skipped[i]}</td></tr>`)}</tbody>
</table></div>
</div>`
}
<h2>操作</h2>
<div class="grid">
${retryForm(edition.id, failedByKind)}
${
  progress.counts.queued > 0 && !sending
    ? html`<form method="post" action="/admin/editions/${encodeURIComponent(edition.id)}/resume" class="panel">
  <p>这一期还有 ${formatCount(progress.counts.queued)} 位收件人在排队（例如额度用尽后中止）：继续发送会把他们重新交给发送队列。</p>
  <p><button type="submit" class="secondary">继续发送</button></p>
</form>`
    : ""
}
</div>
<h2>失败（${formatCount(progress.counts.failed)}）</h2>
${progress.counts.failed === 0 ? html`<p>没有失败的收件人。</p>` : FAILURE_KINDS.map((kind) => failureTable(kind, failures, failedByKind[kind]))}
${afterDelivery(report.bounced, report.complained)}`,
  );
}
