/**
 * /admin/editions/:edition: status and progress (updated in place by console.js from
 * progress.json while sending; a no-script refresh otherwise), deliveries over time,
 * failures with their reasons, retry-failed and resume.
 */
import { html, raw } from "hono/html";
import { getDigest } from "../../digests/catalog.ts";
import type { EditionReport } from "../../delivery/operator-sends.ts";
import type { DeliveryCounts } from "../../delivery/ledger-store.ts";
import type { Html } from "../../pages/layout.ts";
import { lineChart } from "../plots.ts";
import type { DeliveryMoment } from "../stats-store.ts";
import { beijing, consoleLayout, DELIVERY_STATUS_LABELS, editionStatusLabel, formatCount, notice } from "./admin-layout.ts";

const countKeys = ["queued", "sent", "failed", "skipped"] as const;

/** What progress.json answers and the page shows. */
export function progressOf({ edition, counts }: Pick<EditionReport, "edition" | "counts">) {
  const total = countKeys.reduce((sum, key) => sum + counts[key], 0);
  return { edition: edition.id, status: edition.status, statusLabel: editionStatusLabel(edition.status, counts), error: edition.error, counts, total };
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

export function editionPage(report: EditionReport, moments: DeliveryMoment[], message: string | null): Html {
  const { edition, failures } = report;
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
<p>状态：<b data-field="status">${progress.statusLabel}</b> <span data-field="error" class="over">${edition.error ?? ""}</span></p>
<progress max="${Math.max(progress.total, 1)}" value="${done}" data-field="progress">${done} / ${progress.total}</progress>
${countsTable(progress.counts, progress.total)}
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
<form method="post" action="/admin/editions/${encodeURIComponent(edition.id)}/retry-failed" class="panel">
  <p>重新发送给 ${formatCount(progress.counts.failed)} 位失败的收件人（新的批次，不会重复发给已发送的人）。</p>
  <p><button type="submit" ${progress.counts.failed === 0 ? "disabled" : ""}>重试失败的收件人</button></p>
</form>
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
${
  failures.length === 0
    ? html`<p>没有失败的收件人。</p>`
    : html`<table class="failures"><thead><tr><th>地址</th><th>原因</th></tr></thead>
<tbody>${failures.map((failure) => html`<tr><td>${failure.email}</td><td class="prose">${failure.reason}</td></tr>`)}</tbody></table>
${failures.length < progress.counts.failed ? html`<p class="meta">仅列出前 ${failures.length} 位。</p>` : ""}`
}`,
  );
}
