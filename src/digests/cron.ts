/**
 * The cron dialect digest schedules may use, checked at build time, and the next
 * time a schedule fires (for /digests and the preview's edition date).
 *
 * Five fields, UTC: minute hour day-of-month month day-of-week. Each field is `*`,
 * a value, a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those.
 * Day-of-week takes names only (SUN-SAT): numeric days mean different things in
 * different cron dialects (0 or 1 for Sunday), names do not.
 */

/**
 * The one cron in wrangler.toml that is not a digest schedule: every ten minutes the
 * delivery recovery sweep (src/delivery/recovery.ts). No digest may use it, and the
 * content build requires it next to the digest schedules.
 */
export const MAINTENANCE_CRON = "*/10 * * * *";

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  namesOnly?: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 0, max: 6, names: WEEKDAYS, namesOnly: true },
];

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday. */
  daysOfWeek: Set<number>;
  /** True when day-of-month or day-of-week is restricted (cron ORs the two when both are). */
  domRestricted: boolean;
  dowRestricted: boolean;
}

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; problem: string };

function parseValue(spec: FieldSpec, text: string): number | string {
  const upper = text.toUpperCase();
  if (spec.names) {
    const index = spec.names.indexOf(upper);
    if (index >= 0) return spec.min + index;
  }
  if (spec.namesOnly) return `${spec.name} "${text}" is not a day name; use SUN, MON, TUE, WED, THU, FRI or SAT`;
  if (!/^\d+$/.test(text)) return `${spec.name} "${text}" is not a number`;
  const value = Number(text);
  if (value < spec.min || value > spec.max) return `${spec.name} "${text}" is out of range ${spec.min}-${spec.max}`;
  return value;
}

function parseField(spec: FieldSpec, field: string): Set<number> | string {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range = "", stepText, extra] = part.split("/");
    if (extra !== undefined) return `${spec.name} "${part}" has more than one "/"`;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) return `${spec.name} step "${stepText}" is not a positive number`;
      step = Number(stepText);
    }
    let from = spec.min;
    let to = spec.max;
    if (range !== "*") {
      const [a = "", b, more] = range.split("-");
      if (more !== undefined) return `${spec.name} "${range}" is not a range a-b`;
      const start = parseValue(spec, a);
      if (typeof start === "string") return start;
      const end = b === undefined ? (stepText === undefined ? start : spec.max) : parseValue(spec, b);
      if (typeof end === "string") return end;
      if (end < start) return `${spec.name} range "${range}" runs backwards`;
      from = start;
      to = end;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronParse {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return { ok: false, problem: `has ${fields.length} field(s), not 5` };
  }
  const sets: Set<number>[] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const parsed = parseField(spec, fields[index] ?? "");
    if (typeof parsed === "string") return { ok: false, problem: parsed };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return {
    ok: true,
    schedule: {
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      domRestricted: fields[2] !== "*",
      dowRestricted: fields[4] !== "*",
    },
  };
}

function dayMatches(s: CronSchedule, day: Date): boolean {
  if (!s.months.has(day.getUTCMonth() + 1)) return false;
  const dom = s.daysOfMonth.has(day.getUTCDate());
  const dow = s.daysOfWeek.has(day.getUTCDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** How many times a schedule fires in a week (counted over a fixed week, so the answer never moves). */
export function firesPerWeek(schedule: CronSchedule): number {
  const weekStart = Date.UTC(2026, 0, 5); // a Monday
  let fires = 0;
  for (let at = nextRun(schedule, new Date(weekStart - MINUTE)); at && at.getTime() < weekStart + 7 * DAY; at = nextRun(schedule, at)) fires++;
  return fires;
}

/** The first time strictly after `after` at which the schedule fires, within about four years. */
export function nextRun(schedule: CronSchedule, after: Date): Date | null {
  const start = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const firstDay = Math.floor(start / DAY) * DAY;
  for (let day = firstDay; day < firstDay + 1500 * DAY; day += DAY) {
    if (!dayMatches(schedule, new Date(day))) continue;
    for (const hour of [...schedule.hours].sort((a, b) => a - b)) {
      for (const minute of [...schedule.minutes].sort((a, b) => a - b)) {
        const time = day + hour * 60 * MINUTE + minute * MINUTE;
        if (time >= start) return new Date(time);
      }
    }
  }
  return null;
}
