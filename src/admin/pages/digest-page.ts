/** /admin/digests/:id: schedule, the next edition's preview and dry run, test copy, send now (confirmed) and the archive. */
import { html } from "hono/html";
import type { Digest } from "../../digests/catalog.ts";
import { describeSchedule } from "../../digests/describe-schedule.ts";
import type { DigestPreview } from "../../delivery/preview.ts";
import type { SendRefusal } from "../../delivery/open-edition.ts";
import type { DryRun } from "../../delivery/operator-sends.ts";
import type { Html } from "../../pages/layout.ts";
import type { EditionSummary } from "../stats-store.ts";
import { beijing, consoleLayout, formatCount, notice } from "./admin-layout.ts";
import { editionTable } from "./dashboard-page.ts";

export interface DigestPageData {
  digest: Digest;
  nextRun: Date | null;
  plan: DryRun;
  preview: DigestPreview;
  editions: EditionSummary[];
  message?: { text: string; kind: "ok" | "error" } | null;
  testTo?: string;
}

const sendPath = (digest: Digest) => `/admin/digests/${digest.id}/send`;

/** Why "send now" would open nothing, and what to do about it. */
export function refusalText(refusal: SendRefusal, edition: string | null): string {
  return refusal === "edition-exists"
    ? `今天的一期${edition ? ` ${edition} ` : ""}已经发出。如需再发一期，请勾选「强制发送」。`
    : "自上一期以来没有新内容。如仍要发送最新内容，请勾选「强制发送」。";
}

export function digestPage(data: DigestPageData): Html {
  const { digest, nextRun, plan, preview, editions } = data;
  return consoleLayout(
    { title: digest.title },
    html`<h1>${digest.title}</h1>
${notice(data.message?.text, data.message?.kind)}
<p class="meta">发送计划：${describeSchedule(digest.schedule) ?? html`<code>${digest.schedule}</code>（cron，UTC）`} · 下次发送：${nextRun ? html`北京时间 ${beijing(nextRun.toISOString())}` : "按当前计划不会再发送"}</p>
<h2>立即发送的一期（试运行）</h2>
<p class="meta">下面的期号、条目和预览，都是此刻点「立即发送」会发出的那一期；测试邮件也发这一期。</p>
<table class="dry-run">
<tbody>
<tr><th>期号</th><td>${plan.edition}</td></tr>
<tr><th>标题</th><td data-field="subject">${plan.subject}</td></tr>
<tr><th>收件人</th><td data-field="recipients">${formatCount(plan.recipients)}</td></tr>
<tr><th>条目</th><td data-field="items">${plan.items.length} 条${plan.items.length > 0 ? html`：${plan.items.map((item, i) => html`${i > 0 ? "、" : ""}<a href="${item.url}">${item.title}</a>`)}` : "（没有新内容，按计划会跳过）"}</td></tr>
${plan.currentEdition ? html`<tr><th>今天已发</th><td><a href="/admin/editions/${encodeURIComponent(plan.currentEdition)}">${plan.currentEdition}</a></td></tr>` : ""}
${plan.refusal ? html`<tr><th>立即发送</th><td class="over" data-field="refusal">不会发送：${refusalText(plan.refusal, plan.currentEdition)}</td></tr>` : ""}
</tbody></table>
<div class="grid">
<form method="post" action="/admin/digests/${digest.id}/test" class="panel">
  <h3>发送测试邮件</h3>
  <p><label>收件地址<br /><input type="email" name="to" required value="${data.testTo ?? ""}" size="30" /></label></p>
  <p><button type="submit">发送测试邮件</button></p>
  <p class="meta">标题前加「[测试] 」，不计入任何一期。</p>
</form>
<form method="post" action="${sendPath(digest)}" class="panel">
  <h3>立即发送</h3>
  <p>将向 <b>${formatCount(plan.recipients)}</b> 位订阅者发送下一期。发送前会再次确认。</p>
  <p><label><input type="checkbox" name="force" value="1" /> 强制发送（今天已发过或没有新内容时）</label></p>
  <p><button type="submit">立即发送…</button></p>
</form>
</div>
<h2>预览</h2>
<p class="meta">邮件标题：${preview.subject} · <a href="/digests/${digest.id}/preview">在新页面打开</a></p>
<div class="grid">
<div><h3>HTML</h3><iframe class="preview" title="下一期邮件预览" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${preview.html}"></iframe></div>
<div><h3>纯文本</h3><pre class="text">${preview.text}</pre></div>
</div>
<h2>往期</h2>
${editionTable(editions)}`,
  );
}

export interface SendConfirmation {
  digest: Digest;
  plan: DryRun;
  force: boolean;
  message?: string | null;
}

/** The confirmation step of "send now": repeats the recipient count, which the final post must echo. */
export function sendConfirmPage({ digest, plan, force, message }: SendConfirmation): Html {
  return consoleLayout(
    { title: `确认发送 · ${digest.title}` },
    html`<h1>确认发送「${digest.title}」</h1>
${notice(message, "error")}
<form method="post" action="${sendPath(digest)}" class="panel">
  <p>即将把「${plan.subject}」发送给 <b data-field="recipients">${formatCount(plan.recipients)}</b> 位订阅者（${plan.items.length} 条内容）。发出后无法撤回。</p>
  <input type="hidden" name="recipients" value="${plan.recipients}" />
  ${force ? html`<input type="hidden" name="force" value="1" />` : ""}
  <p><button type="submit" class="danger">确认发送给 ${formatCount(plan.recipients)} 位订阅者</button> <a href="/admin/digests/${digest.id}">取消</a></p>
</form>`,
  );
}
