/** HTML pages of /digests: the list of digests and one digest's archive of editions. */
import { html } from "hono/html";
import { themes } from "../../emails/theme.ts";
import { formatBeijingTime, formatChineseDate } from "../pages/beijing-time.ts";
import { layout, type Html } from "../pages/layout.ts";
import type { Digest } from "./catalog.ts";
import type { Edition } from "./editions-store.ts";
import { editionDate, NEXT_EDITION_ID } from "./next-edition.ts";

const STATUS_LABELS: Record<Edition["status"], string> = { sending: "发送中", sent: "已发送", stopped: "已中止" };

const editionPath = (digestId: string, editionId: string) =>
  `/digests/${encodeURIComponent(digestId)}/editions/${encodeURIComponent(editionId)}`;

/** "每周一…" is not derivable for every cron, so the page states the cron and its next run in both zones. */
function schedule(digest: Digest, next: Date | null): Html {
  const when = next
    ? html`下次发送：北京时间 ${formatBeijingTime(next.toISOString())}（UTC ${next.toISOString().slice(0, 16).replace("T", " ")}）`
    : html`按当前计划不会再发送`;
  return html`<p class="meta">发送计划：<code>${digest.schedule}</code>（cron，UTC）· ${when}</p>`;
}

function editionLink(digestId: string, edition: Edition): Html {
  return html`<a href="${editionPath(digestId, edition.id)}">${formatChineseDate(editionDate(edition))} · ${edition.subject}</a>`;
}

export interface DigestListRow {
  digest: Digest;
  next: Date | null;
  last: Edition | undefined;
}

export function digestListPage(rows: DigestListRow[]): Html {
  return layout(
    { title: "邮件摘要", description: "订阅后按计划发送到你邮箱的精选摘要，以及往期内容。" },
    html`<h1>邮件摘要</h1>
<p>在<a href="/#subscribe">首页</a>填写邮箱即可订阅。每份摘要都可以预览下一期，或查看往期网页版。</p>
<ul class="items">
${rows.map(
  ({ digest, next, last }) => html`<li>
  <h2><a href="/digests/${digest.id}">${digest.title}</a></h2>
  ${schedule(digest, next)}
  <p class="meta">主题：${themes[digest.theme].label}</p>
  <p class="meta">最近一期：${last ? editionLink(digest.id, last) : "尚未发送"}</p>
  <p><a href="/digests/${digest.id}/preview">预览下一期</a> · <a href="/digests/${digest.id}">往期</a></p>
</li>
`,
)}
</ul>`,
  );
}

export function digestArchivePage(digest: Digest, editions: Edition[], next: Date | null): Html {
  return layout(
    { title: `${digest.title} · 往期`, description: digest.intro.split("\n")[0] ?? digest.title },
    html`<h1>${digest.title}</h1>
${schedule(digest, next)}
<p><a href="/digests/${digest.id}/preview">预览下一期邮件</a> · <a href="${editionPath(digest.id, NEXT_EDITION_ID)}">下一期网页版</a> · <a href="/digests">全部摘要</a></p>
<h2>往期</h2>
${
  editions.length === 0
    ? html`<p>还没有发送过。</p>`
    : html`<ul class="items">
${editions.map((edition) => html`<li>${editionLink(digest.id, edition)} <span class="meta">${STATUS_LABELS[edition.status]}</span></li>\n`)}
</ul>`
}`,
  );
}
