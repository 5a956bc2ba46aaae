/** Dates as a reader in China reads them: Beijing time (UTC+8, no daylight saving since 1991). */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, "0");

/** "2021 年 10 月 18 日 17:39" for any ISO 8601 date-time, whatever its offset (spaced as src/text/cjk-spacing.ts says). */
export function formatBeijingTime(iso: string): string {
  const t = new Date(Date.parse(iso) + BEIJING_OFFSET_MS);
  return `${t.getUTCFullYear()} 年 ${t.getUTCMonth() + 1} 月 ${t.getUTCDate()} 日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** "2021 年 7 月 8 日" for a calendar date (YYYY-MM-DD). */
export function formatChineseDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return `${year} 年 ${month} 月 ${day} 日`;
}

/** "11 月 5 日" for a calendar date (YYYY-MM-DD), where the year goes without saying (a plot's axis). */
export function shortChineseDate(date: string): string {
  const [, month, day] = date.split("-").map(Number);
  return `${month} 月 ${day} 日`;
}

/** YYYY-MM-DD of the instant in Beijing. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2021-07-08".."2021-07-10" → "2021 年 7 月 8 日—10 日" (month and year repeated only when they change). */
export function chineseDateRange(starts: string, ends: string): string {
  if (starts === ends) return formatChineseDate(starts);
  const [y1, m1] = starts.split("-").map(Number);
  const [y2, m2, d2] = ends.split("-").map(Number);
  if (y1 !== y2) return `${formatChineseDate(starts)}—${formatChineseDate(ends)}`;
  if (m1 !== m2) return `${formatChineseDate(starts)}—${m2} 月 ${d2} 日`;
  return `${formatChineseDate(starts)}—${d2} 日`;
}

/** Sunday first, as Date and cron number them (0 = Sunday). */
export const CHINESE_WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"] as const;

/**
 * "12 月 2 日（周三）08:30" for an upcoming send, in Beijing time; the year is added
 * ("2027 年 1 月 4 日（周一）08:00") only when it is not the current one.
 */
export function formatBeijingSendTime(at: Date, now: Date): string {
  const t = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const thisYear = new Date(now.getTime() + BEIJING_OFFSET_MS).getUTCFullYear();
  const year = t.getUTCFullYear() === thisYear ? "" : `${t.getUTCFullYear()} 年 `;
  return `${year}${t.getUTCMonth() + 1} 月 ${t.getUTCDate()} 日（${CHINESE_WEEKDAYS[t.getUTCDay()]}）${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}
