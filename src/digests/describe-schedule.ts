/**
 * A digest's schedule in words, as a reader in China reads it: "每周一 08:00（北京时间）".
 *
 * Schedules are cron expressions in UTC; Beijing is UTC+8, so a UTC time from 16:00 on
 * falls on the next day in Beijing and the weekdays or days of the month move with it.
 * Covered: up to a few fixed times a day, on every day, on some weekdays or on some days
 * of the month, optionally in some months. Anything else (every few minutes, both a day of
 * the month and a weekday, a day that moves across a month's end) gives null: callers then
 * show the next send time rather than a description that could be wrong.
 */
import { CHINESE_WEEKDAYS } from "../text/beijing-time.ts";
import { spaceCjkLatin } from "../text/cjk-spacing.ts";
import { parseCron, type CronSchedule } from "./cron.ts";

/** Monday first, as readers in China list a week. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
const BEIJING_OFFSET_MINUTES = 8 * 60;
const MINUTES_PER_DAY = 24 * 60;
/** More times a day than this read as a timetable, not a schedule. */
const MAX_TIMES_A_DAY = 4;
/** Days 28-31 may be a month's last day, so moving one of them a day forward may leave the month. */
const LAST_SAFE_DAY_OF_MONTH = 27;

const pad = (n: number) => String(n).padStart(2, "0");
const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

interface BeijingTimes {
  /** "08:00", "20:30"…, in Beijing, earliest first. */
  labels: string[];
  /** 1 when the UTC day is the day before the Beijing day for every time, 0 when the same; null when the times disagree. */
  dayShift: 0 | 1 | null;
}

function beijingTimes(schedule: CronSchedule): BeijingTimes | null {
  const times = sorted(schedule.hours).flatMap((hour) =>
    sorted(schedule.minutes).map((minute) => hour * 60 + minute + BEIJING_OFFSET_MINUTES),
  );
  if (times.length > MAX_TIMES_A_DAY) return null;
  const shifts = new Set(times.map((time) => (time >= MINUTES_PER_DAY ? 1 : 0)));
  const labels = times
    .map((time) => time % MINUTES_PER_DAY)
    .sort((a, b) => a - b)
    .map((time) => `${pad(Math.floor(time / 60))}:${pad(time % 60)}`);
  return { labels, dayShift: shifts.size === 1 ? ([...shifts][0] as 0 | 1) : null };
}

/** {1,2,3,4,5} → "周一至周五"; {1,3} → "周一、周三"; runs of three or more days read as a range. */
function weekdaysInWords(days: Set<number>): string {
  const runs: number[][] = [];
  let lastIndex = -2;
  WEEK_ORDER.forEach((day, index) => {
    if (!days.has(day)) return;
    if (index === lastIndex + 1) runs.at(-1)?.push(day);
    else runs.push([day]);
    lastIndex = index;
  });
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [`${CHINESE_WEEKDAYS[run[0] ?? 0]}至${CHINESE_WEEKDAYS[run.at(-1) ?? 0]}`]
        : run.map((day) => CHINESE_WEEKDAYS[day] ?? ""),
    )
    .join("、");
}

const allMonths = (schedule: CronSchedule) => schedule.months.size === 12;
const monthsInWords = (months: Set<number>) => sorted(months).map((month) => `${month} 月`).join("、");

/** The days part ("每天", "每周一", "每月 1 日、15 日", "每年 1 月、7 月的每周一"), or null. */
function daysInWords(schedule: CronSchedule, dayShift: 0 | 1 | null): string | null {
  const { domRestricted, dowRestricted } = schedule;
  if (domRestricted && dowRestricted) return null;
  // A time that moves to the next day may move into the next month, which a month list cannot say.
  if (!allMonths(schedule) && dayShift !== 0) return null;
  const inMonths = allMonths(schedule) ? "" : `每年 ${monthsInWords(schedule.months)}的`;

  if (!domRestricted && !dowRestricted) return inMonths ? `${inMonths}每天` : "每天";
  if (dayShift === null) return null;
  if (dowRestricted) {
    const days = new Set([...schedule.daysOfWeek].map((day) => (day + dayShift) % 7));
    if (days.size === 7) return inMonths ? `${inMonths}每天` : "每天";
    return `${inMonths}每${weekdaysInWords(days)}`;
  }
  const days = sorted(schedule.daysOfMonth);
  if (dayShift === 1 && days.some((day) => day > LAST_SAFE_DAY_OF_MONTH)) return null;
  const list = days.map((day) => `${day + dayShift} 日`).join("、");
  return inMonths ? `${inMonths}${list}` : `每月 ${list}`;
}

/** "每周一 08:00（北京时间）" for "0 0 * * MON"; null when the expression is not one a sentence can say exactly. */
export function describeSchedule(cron: string): string | null {
  const parsed = parseCron(cron);
  if (!parsed.ok) return null;
  const times = beijingTimes(parsed.schedule);
  if (!times) return null;
  const days = daysInWords(parsed.schedule, times.dayShift);
  return days === null ? null : spaceCjkLatin(`${days} ${times.labels.join("、")}（北京时间）`);
}

/** The schedule in words, or a plain promise when the cron is one a sentence cannot say exactly. */
export const scheduleInWords = (digest: { schedule: string }): string => describeSchedule(digest.schedule) ?? "按计划定期发送";
