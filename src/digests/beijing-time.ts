/** Edition dates as readers in China see them: Beijing time (UTC+8, no daylight saving). */
import { isWholeDay } from "../content/event-time.ts";
import type { EventFacts } from "../content/schema.ts";
import { formatBeijingTime, formatChineseDate } from "../pages/beijing-time.ts";

const OFFSET_MS = 8 * 60 * 60 * 1000;

/** YYYY-MM-DD of the instant in Beijing. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
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

/**
 * When an event takes place, as readers in China read it: "2021 年 7 月 8 日—10 日" for whole
 * days, "2026 年 12 月 10 日 14:00—17:00（北京时间）" or "2026 年 12 月 10 日 14:00—12 月 11 日 12:00（北京时间）"
 * for times. Events name Asia/Shanghai (the schema allows no other zone), so Beijing time is theirs.
 */
export function formatEventTime(event: EventFacts): string {
  if (isWholeDay(event)) return chineseDateRange(event.starts, event.ends);
  const startDay = beijingDate(new Date(event.starts));
  const endDay = beijingDate(new Date(event.ends));
  const clock = (iso: string) => formatBeijingTime(iso).slice(-5);
  const endDate = endDay === startDay ? "" : `${chineseDateRange(startDay, endDay).split("—")[1]} `;
  return `${formatChineseDate(startDay)} ${clock(event.starts)}—${endDate}${clock(event.ends)}（北京时间）`;
}
