/**
 * A delivery failure as the console shows it: what it means and what to do, in Chinese,
 * with the reason exactly as recorded (the provider's own words, in English) folded into
 * a <details> element for whoever needs to look it up.
 */
import { html } from "hono/html";
import type { Html } from "../../pages/layout.ts";

/** First match wins: the recorded reasons are `name (status): message` from the provider, or this app's own notes. */
const MEANINGS: [RegExp, string][] = [
  [/quota/i, "发送额度已用尽：额度恢复后点「重试失败的收件人」。"],
  [/\b429\b|rate.?limit/i, "发送过快，被服务商限速：稍后重试即可。"],
  [/gave up after|\b5\d\d\b|timeout|timed out|network|fetch|concurrent/i, "服务商暂时出错：稍后重试即可。"],
  [/bounce|suppress|complain/i, "地址退信或被标为垃圾邮件：不要重试，已停止向它投递。"],
  [/\b4\d\d\b|invalid|validation|not allowed|forbidden|unauthori[sz]ed|missing/i, "服务商拒收（地址、发件人或密钥有误）：请先检查设置或地址，再重试。"],
  [/stopped/i, "这一期已中止，这位收件人没有发出：确认原因后可重试。"],
];

/** The Chinese meaning of a recorded failure reason. */
export const reasonMeaning = (reason: string): string =>
  MEANINGS.find(([pattern]) => pattern.test(reason))?.[1] ?? "发送失败：展开可查看服务商的原文。";

/** The meaning as the visible summary; the recorded reason inside, as code. */
export const providerReason = (reason: string): Html =>
  html`<details class="reason"><summary>${reasonMeaning(reason)}</summary><code>${reason}</code></details>`;
