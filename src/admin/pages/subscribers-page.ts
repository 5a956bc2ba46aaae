/** /admin/subscribers: search, filters, pages, CSV export and import (with its report), erase with confirmation. */
import { html } from "hono/html";
import { digests, getDigest } from "../../digests/catalog.ts";
import type { Html } from "../../pages/layout.ts";
import { IMPORT_MAX_BYTES, type ImportReport } from "../../subscribers/csv-import.ts";
import { subscriberStatuses, type Subscriber } from "../../subscribers/store.ts";
import { beijing, consentSourceLabel, consoleLayout, notice, SUBSCRIBER_STATUS_LABELS, withCode } from "./admin-layout.ts";

export interface SubscriberSearch {
  q?: string | undefined;
  status?: string | undefined;
  digest?: string | undefined;
}

export interface SubscribersPageData {
  search: SubscriberSearch;
  subscribers: Subscriber[];
  nextCursor: number | null;
  /** This page is not the first. */
  paged: boolean;
  message?: { text: string; kind: "ok" | "error" } | null;
  report?: ImportReport | null;
}

const query = (search: SubscriberSearch, extra: Record<string, string> = {}) =>
  new URLSearchParams(
    Object.entries({ ...search, ...extra }).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== ""),
  ).toString();

function importReport(report: ImportReport): Html {
  return html`<section class="panel" id="import-report" aria-label="导入结果">
<h2>导入结果</h2>
<table><tbody>
<tr><th>读取行数</th><td class="n" data-report="rows">${report.rows}</td></tr>
<tr><th>新增</th><td class="n" data-report="created">${report.created}</td></tr>
<tr><th>已是订阅者（未改动）</th><td class="n" data-report="existing">${report.existing}</td></tr>
<tr><th>跳过（已退订）</th><td class="n" data-report="skippedUnsubscribed">${report.skippedUnsubscribed}</td></tr>
<tr><th>跳过（已屏蔽）</th><td class="n" data-report="skippedSuppressed">${report.skippedSuppressed}</td></tr>
<tr><th>合并的重复行</th><td class="n" data-report="merged">${report.merged}</td></tr>
<tr><th>拒绝</th><td class="n" data-report="rejected">${report.rejected.length}</td></tr>
</tbody></table>
${
  report.rejected.length > 0
    ? html`<table class="rejected"><thead><tr><th>行号</th><th>原因</th></tr></thead><tbody>${report.rejected.map((r) => html`<tr><td>${r.line}</td><td>${withCode(r.readerReason)}</td></tr>`)}</tbody></table>`
    : ""
}
${
  report.skipped.length > 0
    ? html`<table class="skipped"><thead><tr><th>行号</th><th>现有状态（导入不会改动）</th></tr></thead><tbody>${report.skipped.map((r) => html`<tr><td>${r.line}</td><td>${SUBSCRIBER_STATUS_LABELS[r.status]}</td></tr>`)}</tbody></table>`
    : ""
}
</section>`;
}

export function subscribersPage(data: SubscribersPageData): Html {
  const { search, subscribers, nextCursor } = data;
  return consoleLayout(
    { title: "订阅者" },
    html`<h1>订阅者</h1>
${notice(data.message?.text, data.message?.kind)}
${data.report ? importReport(data.report) : ""}
<form method="get" action="/admin/subscribers" class="filters panel">
  <label>地址或域名开头<input type="search" name="q" value="${search.q ?? ""}" placeholder="例如 ada@example.com 或 example.com" /></label>
  <label>状态<select name="status"><option value="">全部</option>${subscriberStatuses.map((s) => html`<option value="${s}" ${search.status === s ? "selected" : ""}>${SUBSCRIBER_STATUS_LABELS[s]}</option>`)}</select></label>
  <label>简报<select name="digest"><option value="">全部</option>${digests.map((d) => html`<option value="${d.id}" ${search.digest === d.id ? "selected" : ""}>${d.title}</option>`)}</select></label>
  <button type="submit">筛选</button>
  <a href="/admin/subscribers.csv">导出全部（CSV）</a>
</form>
<table class="subscribers">
<thead><tr><th>地址</th><th>状态</th><th>简报</th><th>同意时间（北京）</th><th>来源</th><th>加入时间（北京）</th><th></th></tr></thead>
<tbody>
${
  subscribers.length === 0
    ? html`<tr><td colspan="7">没有符合条件的订阅者。</td></tr>`
    : subscribers.map(
        (s) => html`<tr><td>${s.email}</td><td>${SUBSCRIBER_STATUS_LABELS[s.status]}</td><td>${s.digests.map((id) => getDigest(id)?.title ?? id).join("、")}</td><td>${beijing(s.consentAt)}</td><td>${consentSourceLabel(s.consentSource)}</td><td>${beijing(s.createdAt)}</td><td><a href="/admin/subscribers/erase?${new URLSearchParams({ email: s.email }).toString()}">删除…</a></td></tr>\n`,
      )
}
</tbody></table>
<p>${data.paged ? html`<a href="/admin/subscribers?${query(search)}">第一页</a> ` : ""}${nextCursor !== null ? html`<a rel="next" href="/admin/subscribers?${query(search, { cursor: String(nextCursor) })}">下一页</a>` : ""}</p>
<h2>导入 CSV</h2>
<form method="post" action="/admin/subscribers/import" enctype="multipart/form-data" class="panel">
  <p class="meta">首行为 <code>email,consent</code>，可加 <code>digests</code> 列（多份简报的编号用分号或空格分隔，留空表示全部）。<code>consent</code> 须为 <code>true</code>、<code>yes</code> 或 <code>1</code>。每个文件最大 ${IMPORT_MAX_BYTES / (1024 * 1024)} MB；更大的名单请分成几个文件导入。</p>
  <p><input type="file" name="file" accept=".csv,text/csv" required /> <button type="submit">导入</button></p>
</form>`,
  );
}

export function eraseConfirmPage(subscriber: Subscriber): Html {
  return consoleLayout(
    { title: "删除订阅者" },
    html`<h1>删除订阅者</h1>
<form method="post" action="/admin/subscribers/erase" class="panel">
  <p>将永久删除 <b>${subscriber.email}</b>（${SUBSCRIBER_STATUS_LABELS[subscriber.status]}）的记录、订阅、事件历史和本地发件箱中的邮件，只保留一条匿名的「已删除」事件。此操作无法撤销。</p>
  <input type="hidden" name="email" value="${subscriber.email}" />
  <p><button type="submit" class="danger">确认删除</button> <a href="/admin/subscribers">取消</a></p>
</form>`,
  );
}
