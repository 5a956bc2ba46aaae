/**
 * A delivery failure as the console shows it: what it means and what to do, in Chinese,
 * with the reason exactly as recorded (the provider's own words, in English) folded into
 * a <details> element for whoever needs to look it up.
 */
import { html } from "hono/html";
import type { FailureKind } from "../../email/failure-kind.ts";
import type { Html } from "../../pages/layout.ts";

/** The console's name of each kind of failure, with what it covers. */
export const FAILURE_KIND_LABELS: Record<FailureKind, string> = {
  permanent: "永久失败（地址无效、退信）",
  temporary: "临时失败（配额、服务器错误、超时）",
};

/**
 * Temporary failures, first match wins: the recorded reasons are `name (status): message`
 * from the provider, or this app's own notes.
 */
const TEMPORARY_MEANINGS: [RegExp, string][] = [
  [/quota/i, "发送额度已用尽：额度恢复后点「重试临时失败的收件人」。"],
  [/\b429\b|rate.?limit/i, "发送过快，被服务商限速：稍后重试即可。"],
  [/gave up after|\b5\d\d\b|timeout|timed out|network|fetch|concurrent/i, "服务商暂时出错：稍后重试即可。"],
  [/\b4\d\d\b|invalid|validation|not allowed|forbidden|unauthori[sz]ed|missing/i, "服务商拒收（发件人、域名或密钥有误）：修正设置后再重试。"],
  [/stopped/i, "这一期已中止，这位收件人没有发出：确认原因后可重试。"],
];

/** Permanent failures: the provider refused the address itself. */
const PERMANENT_MEANINGS: [RegExp, string][] = [[/bounce|suppress|complain/i, "地址退信或被标为垃圾邮件：不会重试。"]];
const PERMANENT_DEFAULT = "服务商拒收这个地址（地址无效或不存在）：不会重试，请核对地址。";

/** The Chinese meaning of a recorded failure reason of that kind. */
export function reasonMeaning(reason: string, kind: FailureKind = "temporary"): string {
  if (kind === "permanent") return PERMANENT_MEANINGS.find(([pattern]) => pattern.test(reason))?.[1] ?? PERMANENT_DEFAULT;
  return TEMPORARY_MEANINGS.find(([pattern]) => pattern.test(reason))?.[1] ?? "发送失败：展开可查看服务商的原文。";
}

/** The meaning as the visible summary; the recorded reason inside, as code. */
export const providerReason = (reason: string, kind: FailureKind = "temporary"): Html =>
  html`<details class="reason"><summary>${reasonMeaning(reason, kind)}</summary><code>${reason}</code></details>`;
