/** Dates as readers in China see them: Beijing time (UTC+8, no daylight saving). */

const OFFSET_MS = 8 * 60 * 60 * 1000;

/** YYYY-MM-DD of the instant in Beijing. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:MM" of the instant in Beijing. */
export function beijingDateTime(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** "YYYY-MM-DD HH:MM" of the instant in UTC. */
export function utcDateTime(instant: Date): string {
  return instant.toISOString().slice(0, 16).replace("T", " ");
}

/** "2021-07-08" → "2021年7月8日". */
export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

/** "2021-07-08".."2021-07-10" → "2021年7月8日—10日" (month and year only when they change). */
export function chineseDateRange(starts: string, ends: string): string {
  if (starts === ends) return chineseDate(starts);
  const [y1, m1] = starts.split("-").map(Number);
  const [y2, m2, d2] = ends.split("-").map(Number);
  if (y1 !== y2) return `${chineseDate(starts)}—${chineseDate(ends)}`;
  if (m1 !== m2) return `${chineseDate(starts)}—${m2}月${d2}日`;
  return `${chineseDate(starts)}—${d2}日`;
}
