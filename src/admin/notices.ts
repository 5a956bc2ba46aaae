/**
 * The console's notices after a redirect (`?notice=`, `?retried=`, `?resumed=`): text from
 * a fixed set, never text from the URL, so a crafted link cannot make the console say
 * anything. A count is shown only when it is a plain number.
 */

const NOTICES = {
  "test-sent": "测试邮件已发送，请到收件箱查看。",
  erased: "已删除这位订阅者。",
} as const;

export type ConsoleNotice = keyof typeof NOTICES;

/** The query that makes the next page show `notice`. */
export const noticeQuery = (notice: ConsoleNotice): string => `notice=${notice}`;

/** The text of a `?notice=` value, or null for anything outside the set. */
export function noticeText(value: string | undefined): string | null {
  return value !== undefined && Object.hasOwn(NOTICES, value) ? NOTICES[value as ConsoleNotice] : null;
}

const COUNT = /^[0-9]{1,9}$/;

/** The edition page's notice after a retry or a resume, from their counts. */
export function requeuedText(retried: string | undefined, resumed: string | undefined): string | null {
  if (retried !== undefined && COUNT.test(retried)) return `已将 ${Number(retried)} 位临时失败的收件人重新排入发送队列。`;
  if (resumed !== undefined && COUNT.test(resumed)) return `已将 ${Number(resumed)} 位尚未发出的收件人按原幂等键重新排入发送队列。`;
  return null;
}
