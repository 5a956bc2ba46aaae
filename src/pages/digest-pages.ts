/** HTML pages of /digests: the list of digests and one digest's archive of editions. */
import { html } from "hono/html";
import type { Digest } from "../digests/catalog.ts";
import type { Edition } from "../digests/editions-store.ts";
import { editionDate, NEXT_EDITION_ID } from "../digests/next-edition.ts";
import { formatBeijingSendTime, formatChineseDate } from "../text/beijing-time.ts";
import { spaceCjkLatin } from "../text/cjk-spacing.ts";
import { scheduleInWords } from "./digest-choice.ts";
import { layout, type Html } from "./layout.ts";
import { digestCardPath, sharePage, siteCardPath } from "./share.ts";

const STATUS_LABELS: Record<Edition["status"], string> = { sending: "发送中", sent: "已发送", stopped: "已中止" };

export const editionPath = (digestId: string, editionId: string) =>
  `/digests/${encodeURIComponent(digestId)}/editions/${encodeURIComponent(editionId)}`;

/** A subject's leading date ("2026年11月23日 " or "2026 年 11 月 23 日 "), which the page shows on its own. */
const LEADING_DATE = /^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*/;

/** "每周一 08:00（北京时间）· 下次：12 月 2 日（周一）08:00"; the next time alone when the schedule has no words. */
function schedule(digest: Digest, next: Date | null, now: Date): Html {
  const when = next ? html`<span class="nowrap">下次：${formatBeijingSendTime(next, now)}</span>` : html`按当前计划不会再发送`;
  return html`<p class="meta">${scheduleInWords(digest)} · ${when}</p>`;
}

/**
 * An edition as its date, then its subject without the date it starts with (the date is
 * already there) and without the digest's name when that is all the subject says.
 */
function editionLink(digest: Digest, edition: Edition): Html {
  const subject = edition.subject.replace(LEADING_DATE, "").trim();
  const rest = subject && subject !== digest.title ? html` · ${subject}` : "";
  return html`<a href="${editionPath(digest.id, edition.id)}"><span class="nowrap">${spaceCjkLatin(formatChineseDate(editionDate(edition)))}</span>${rest}</a>`;
}

const description = (digest: Digest): Html | string => (digest.description ? html`<p>${digest.description}</p>` : "");

export interface DigestListRow {
  digest: Digest;
  next: Date | null;
  last: Edition | undefined;
}

export function digestListPage(rows: DigestListRow[], now: Date, siteUrl: string): Html {
  return layout(
    {
      title: "邮件摘要",
      description: "订阅后按计划发送到你邮箱的精选摘要，以及往期内容。",
      canonical: `${siteUrl}/digests`,
      share: sharePage(siteUrl, "/digests", siteCardPath, "邮件摘要"),
    },
    html`<h1>邮件摘要</h1>
<p>在<a href="/#subscribe">首页</a>填写邮箱即可订阅，可以只选其中几份。发送时间均为北京时间。</p>
<ul class="items">
${rows.map(
  ({ digest, next, last }) => html`<li>
  <h2><a href="/digests/${digest.id}">${digest.title}</a></h2>
  ${description(digest)}
  ${schedule(digest, next, now)}
  <p class="meta">最近一期：${last ? editionLink(digest, last) : "尚未发送"}</p>
  <ul class="links"><li><a href="/digests/${digest.id}/preview">预览下一期</a></li><li><a href="/digests/${digest.id}">往期</a></li></ul>
</li>
`,
)}
</ul>`,
  );
}

export function digestArchivePage(digest: Digest, editions: Edition[], next: Date | null, now: Date, siteUrl: string): Html {
  const path = `/digests/${encodeURIComponent(digest.id)}`;
  return layout(
    {
      title: `${digest.title} · 往期`,
      description: digest.description ?? digest.intro.split("\n")[0] ?? digest.title,
      canonical: `${siteUrl}${path}`,
      share: sharePage(siteUrl, path, digestCardPath(digest.id), digest.title),
    },
    html`<h1>${digest.title}</h1>
${description(digest)}
${schedule(digest, next, now)}
<ul class="links"><li><a href="/digests/${digest.id}/preview">预览下一期邮件</a></li><li><a href="${editionPath(digest.id, NEXT_EDITION_ID)}">下一期网页版</a></li><li><a href="/digests">全部摘要</a></li></ul>
<h2>往期</h2>
${
  editions.length === 0
    ? html`<p>还没有发送过。</p>`
    : html`<ul class="items">
${editions.map((edition) => html`<li>${editionLink(digest, edition)} <span class="meta">${STATUS_LABELS[edition.status]}</span></li>\n`)}
</ul>`
}`,
  );
}
