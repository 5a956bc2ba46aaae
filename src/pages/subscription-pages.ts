/** Pages of the subscription flows: subscribe result, confirm, unsubscribe, preferences. */
import { html } from "hono/html";
import { parseMailFrom } from "../../emails/mail-from.ts";
import type { Digest } from "../digests/catalog.ts";
import type { FirstDelivery } from "../digests/first-delivery.ts";
import type { Subscriber } from "../subscribers/store.ts";
import type { TokenProblem } from "../subscribers/subscription-flow.ts";
import { formatBeijingSendTime } from "../text/beijing-time.ts";
import { scheduleInWords } from "../digests/describe-schedule.ts";
import { digestChoice } from "./digest-choice.ts";
import { layout, type Html } from "./layout.ts";
import { subscribeForm, type SubscribeFormValues } from "./subscribe-form.ts";

interface PageLink {
  label: string;
  href: string;
}

/** A heading, a few sentences and onward links: most pages of the flow are just that. */
export function messagePage(title: string, lines: string[], links: PageLink[] = [{ label: "返回首页", href: "/" }]): Html {
  return layout(
    { title },
    html`<h1>${title}</h1>
${lines.map((line) => html`<p>${line}</p>\n`)}
${pageLinks(links)}`,
  );
}

const pageLinks = (links: PageLink[]): Html =>
  html`<ul class="links">${links.map((link) => html`<li><a href="${link.href}">${link.label}</a></li>`)}</ul>`;

const digestTitles = (chosen: readonly Digest[]) => chosen.map((digest) => `「${digest.title}」`).join("和");

/** When the first email comes: `lead` is "确认后，" before confirming, "" after. */
function firstEmailLine(first: FirstDelivery | null, now: Date, lead: string): Html {
  if (!first) return html`<p>${lead}你选择的简报一有新内容就会按计划发出。</p>`;
  return html`<p>${lead}你将在 <strong class="nowrap">${formatBeijingSendTime(first.at, now)}</strong>（北京时间）收到第一封${digestTitles(first.digests)}。</p>`;
}

/**
 * The same page for every address, new or known, so it reveals nothing about who subscribes:
 * it depends only on the digests chosen and the clock. QQ and 163 mail file unknown senders
 * as junk readily, hence the advice to add the sender to the contacts.
 */
export function subscribeAcceptedPage(first: FirstDelivery | null, now: Date, mailFrom: string): Html {
  const sender = parseMailFrom(mailFrom).address;
  return layout(
    { title: "请查收确认邮件" },
    html`<h1>请查收确认邮件</h1>
<p>如果这个地址可以订阅，我们刚刚发出了一封确认邮件。请打开邮件中的链接完成订阅（48 小时内有效）。</p>
${firstEmailLine(first, now, "确认后，")}
<div class="box">
  <p><strong>没收到，或担心被当成垃圾邮件？</strong></p>
  <p>请先看看垃圾邮件文件夹，再把发件地址 <strong>${sender}</strong> 加入通讯录：QQ 邮箱、163 邮箱会把通讯录联系人的来信直接放进收件箱。也可以加入白名单：QQ 邮箱在「设置 → 反垃圾 → 设置邮件地址白名单」，163 邮箱在「设置 → 反垃圾/黑白名单 → 白名单」。</p>
</div>
${pageLinks([{ label: "返回首页", href: "/" }])}`,
  );
}

/** A form post that cannot be accepted: what is wrong, and the form again with what the reader entered. */
export const subscribeInvalidPage = (reason: string, values: SubscribeFormValues, catalog: readonly Digest[]) =>
  layout(
    { title: "无法订阅" },
    html`<h1>无法订阅</h1>
<p class="notice error" role="alert">${reason}</p>
${subscribeForm(catalog, values)}`,
  );

export const rateLimitedPage = (retryAfterSeconds: number) =>
  messagePage("请求太频繁", [`请在 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试。`]);

const LINK_PROBLEMS: Record<TokenProblem, { title: string; line: string }> = {
  invalid: { title: "链接无效", line: "这个链接不完整或已被改动。请直接点击邮件中的链接，或复制完整的地址。" },
  expired: { title: "链接已过期", line: "确认链接在 48 小时后失效。请重新订阅，我们会发送新的确认邮件。" },
  "unknown-subscriber": { title: "找不到这个订阅", line: "这个订阅已被删除。如需再次订阅，请在首页填写邮箱。" },
};

export const linkProblemPage = (problem: TokenProblem) =>
  messagePage(LINK_PROBLEMS[problem].title, [LINK_PROBLEMS[problem].line], [{ label: "返回首页订阅", href: "/#subscribe" }]);

/** A confirmation link from an earlier subscribe request: only the newest one counts. */
export const confirmLinkSupersededPage = () =>
  messagePage(
    "链接已失效",
    ["这个确认链接已被更新的确认邮件取代。请打开最近收到的那封确认邮件中的链接；如果找不到，请在首页重新订阅。"],
    [{ label: "返回首页订阅", href: "/#subscribe" }],
  );

/**
 * What a confirmation link shows when opened (GET or HEAD): a button, and nothing changed.
 * Mail scanners fetch every link in a message; only a person's click on the button (a
 * same-origin POST) confirms, so no one can subscribe an address whose mail is scanned.
 */
export const confirmPromptPage = (subscriber: Subscriber, chosen: readonly Digest[], postUrl: string) =>
  layout(
    { title: "确认订阅" },
    html`<h1>确认订阅</h1>
<p>地址：<strong>${subscriber.email}</strong></p>
<p>点击下面的按钮，确认订阅${digestTitles(chosen)}。</p>
<form method="post" action="${postUrl}">
  <p><button class="primary" type="submit">确认订阅</button></p>
</form>
<p class="meta">不想订阅？关闭这个页面即可：不确认就不会收到任何简报。</p>`,
  );

export const confirmLinkUsedPage = (subscriber: Subscriber) =>
  messagePage(
    "链接已失效",
    subscriber.status === "active"
      ? ["这个确认链接已经用过了，你的订阅早已生效。"]
      : ["这个确认链接已不再有效：这个地址已退订或已停止投递。如需重新订阅，请在首页填写邮箱。"],
    [{ label: "返回首页", href: "/" }],
  );

export const confirmedPage = (
  chosen: readonly Digest[],
  first: FirstDelivery | null,
  now: Date,
  links: { preferencesUrl: string; unsubscribeUrl: string },
) =>
  layout(
    { title: "订阅成功" },
    html`<h1>订阅成功</h1>
<p>你已订阅：</p>
<ul class="items">${chosen.map(
      (digest) => html`<li><strong>${digest.title}</strong><p class="meta">${scheduleInWords(digest)}</p></li>`,
    )}</ul>
${firstEmailLine(first, now, "")}
<p>每封简报邮件的末尾都有退订和管理订阅的链接。</p>
${pageLinks([
  { label: "管理订阅", href: links.preferencesUrl },
  { label: "退订", href: links.unsubscribeUrl },
  { label: "返回首页", href: "/" },
])}`,
  );

/**
 * Buttons, because a GET (link scanners follow links) must never unsubscribe by itself. A
 * digest's link offers leaving that digest and leaving everything; an older link without a
 * digest offers leaving everything.
 */
export const unsubscribePromptPage = (
  subscriber: Subscriber,
  postUrl: string,
  preferencesUrl: string,
  digest: Pick<Digest, "id" | "title"> | null,
) =>
  layout(
    { title: "退订" },
    html`<h1>退订</h1>
<p>${digest ? html`确定不再接收「${digest.title}」吗？` : "确定不再接收简报邮件吗？"}地址：<strong>${subscriber.email}</strong></p>
<form method="post" action="${postUrl}">
  ${digest ? html`<p><button class="primary" type="submit" name="action" value="digest">只退订「${digest.title}」</button></p>` : ""}
  <p><button class="danger" type="submit" name="action" value="all">退订全部简报</button></p>
</form>
<p>只想少收一些？<a href="${preferencesUrl}">选择要接收的简报</a></p>`,
  );

/**
 * A digest's link opened after that digest was left (by one-click, in the mail client):
 * says so, and offers leaving each digest still received (a `leave` button names it),
 * or everything.
 */
export const digestAlreadyLeftPage = (
  subscriber: Subscriber,
  postUrl: string,
  preferencesUrl: string,
  left: Pick<Digest, "title">,
  remaining: readonly Pick<Digest, "id" | "title">[],
) =>
  layout(
    { title: "退订" },
    html`<h1>已退订「${left.title}」</h1>
<p>地址 <strong>${subscriber.email}</strong> 已不再接收「${left.title}」，无需再操作。</p>
<form method="post" action="${postUrl}">
  ${
    remaining.length > 0
      ? html`<p>你仍在接收：${remaining.map((digest) => `「${digest.title}」`).join("、")}。也想退订其中的？</p>
  ${remaining.map(
    (digest) => html`<p><button class="primary" type="submit" name="leave" value="${digest.id}">也退订「${digest.title}」</button></p>
`,
  )}`
      : ""
  }
  <p><button class="danger" type="submit" name="action" value="all">退订全部简报</button></p>
</form>
<p>只想换几份？<a href="${preferencesUrl}">选择要接收的简报</a></p>`,
  );

export const digestLeftPage = (digestTitle: string, remainingTitles: string[], preferencesUrl: string) =>
  messagePage(
    "已退订",
    [
      `你不会再收到「${digestTitle}」。`,
      ...(remainingTitles.length > 0 ? [`仍在接收：${remainingTitles.map((title) => `「${title}」`).join("、")}。`] : []),
    ],
    [
      { label: "管理订阅", href: preferencesUrl },
      { label: "返回首页", href: "/" },
    ],
  );

export const unsubscribedPage = (preferencesUrl: string) =>
  messagePage("已退订", ["你不会再收到简报邮件。"], [
    { label: "误操作？重新选择简报", href: preferencesUrl },
    { label: "返回首页", href: "/" },
  ]);

export const suppressedPage = () =>
  messagePage("已停止投递", ["发往这个地址的邮件曾被退回或被标记为垃圾邮件，我们已停止向它投递。"]);

const STATUS_NOTES: Record<Subscriber["status"], string> = {
  pending: "这个地址尚未确认订阅：请先点击确认邮件中的链接。",
  active: "",
  unsubscribed: "你目前已退订。选择简报并保存即可重新订阅。",
  suppressed: "",
};

export function preferencesPage(
  subscriber: Subscriber,
  catalog: readonly Digest[],
  postUrl: string,
  notice: { kind: "saved" | "error"; text: string } | null,
): Html {
  const note = STATUS_NOTES[subscriber.status];
  return layout(
    { title: "管理订阅" },
    html`<h1>管理订阅</h1>
<p>地址：<strong>${subscriber.email}</strong></p>
${notice ? html`<p class="notice ${notice.kind}" role="${notice.kind === "error" ? "alert" : "status"}">${notice.text}</p>` : ""}
${note ? html`<p class="meta">${note}</p>` : ""}
<form method="post" action="${postUrl}">
  <fieldset>
    <legend>接收这些简报</legend>
    ${digestChoice(catalog, subscriber.digests)}
  </fieldset>
  <p><button class="primary" type="submit" name="action" value="save">保存</button></p>
  <div class="danger-zone">
    <p class="meta">一份也不想再收？</p>
    <button class="danger" type="submit" name="action" value="leave">全部退订</button>
  </div>
</form>`,
  );
}
