/** Schedules in words and Beijing time, and when a new subscriber's first email comes. */
import { describe, expect, it } from "vitest";
import { digests, getDigest, type Digest } from "../src/digests/catalog.ts";
import { nextRun, parseCron } from "../src/digests/cron.ts";
import { describeSchedule } from "../src/digests/describe-schedule.ts";
import { firstDelivery } from "../src/digests/first-delivery.ts";
import { CHINESE_WEEKDAYS, formatBeijingSendTime } from "../src/text/beijing-time.ts";
import { cjkLatinSpacingViolations } from "../src/text/cjk-spacing.ts";

const mustGetDigest = (id: string): Digest => {
  const digest = getDigest(id);
  if (!digest) throw new Error(`no digest ${id}`);
  return digest;
};

describe("describeSchedule", () => {
  it("says each shipped schedule in words and Beijing time", () => {
    expect(Object.fromEntries(digests.map((d) => [d.id, describeSchedule(d.schedule)]))).toEqual({
      weekly: "每周一 08:00（北京时间）",
      "interview-highlights": "每周五 09:00（北京时间）",
      "waic-forum": "每周三 08:30（北京时间）",
    });
  });

  it("agrees with the times the cron really fires, seen from Beijing", () => {
    for (const digest of digests) {
      const parsed = parseCron(digest.schedule);
      if (!parsed.ok) throw new Error(parsed.problem);
      let at: Date | null = new Date("2026-11-29T00:00:00Z");
      for (let i = 0; i < 10 && at; i++) {
        at = nextRun(parsed.schedule, at);
        if (!at) break;
        const beijing = new Date(at.getTime() + 8 * 3600_000);
        const time = beijing.toISOString().slice(11, 16);
        expect(describeSchedule(digest.schedule)).toBe(`每${CHINESE_WEEKDAYS[beijing.getUTCDay()]} ${time}（北京时间）`);
      }
    }
  });

  it.each([
    ["0 0 * * *", "每天 08:00（北京时间）"],
    ["0 16 * * SUN", "每周一 00:00（北京时间）"], // Sunday 16:00 UTC is already Monday in Beijing
    ["30 22 * * SAT", "每周日 06:30（北京时间）"],
    ["0 1 * * MON-FRI", "每周一至周五 09:00（北京时间）"],
    ["0 20 * * SUN-THU", "每周一至周五 04:00（北京时间）"],
    ["0 1 * * MON,WED", "每周一、周三 09:00（北京时间）"],
    ["0 1 * * SAT,SUN", "每周六、周日 09:00（北京时间）"],
    ["0 1,13 * * *", "每天 09:00、21:00（北京时间）"],
    ["0 4,20 * * *", "每天 04:00、12:00（北京时间）"], // 20:00 UTC moves a day, but every day is every day
    ["0 1 1,15 * *", "每月 1 日、15 日 09:00（北京时间）"],
    ["0 18 14 * *", "每月 15 日 02:00（北京时间）"],
    ["0 1 1 JAN,JUL *", "每年 1 月、7 月的 1 日 09:00（北京时间）"],
    ["0 1 * DEC MON", "每年 12 月的每周一 09:00（北京时间）"],
  ])("%s → %s", (cron, words) => {
    expect(describeSchedule(cron)).toBe(words);
    expect(cjkLatinSpacingViolations(words)).toEqual([]);
  });

  it.each([
    ["*/15 * * * *", "every 15 minutes is a timetable"],
    ["0 1 1 * MON", "a day of the month OR a weekday"],
    ["0 20 31 * *", "the 31st at 20:00 UTC is the 1st of the next month in Beijing"],
    ["0 4,20 * * MON", "one time on Monday, the other on Tuesday in Beijing"],
    ["0 20 * JAN *", "the last January day moves into February"],
    ["not a cron", "not a cron expression"],
  ])("gives null for %s (%s)", (cron) => {
    expect(describeSchedule(cron)).toBeNull();
  });
});

describe("formatBeijingSendTime", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  it("gives month, day, weekday and time in Beijing, the year only when it is not this year", () => {
    expect(formatBeijingSendTime(new Date("2026-12-02T00:30:00Z"), now)).toBe("12 月 2 日（周三）08:30");
    expect(formatBeijingSendTime(new Date("2026-12-31T16:00:00Z"), now)).toBe("2027 年 1 月 1 日（周五）00:00");
  });
});

describe("firstDelivery", () => {
  const weekly = mustGetDigest("weekly");
  const waic = mustGetDigest("waic-forum");
  const interviews = mustGetDigest("interview-highlights");
  const monday = new Date("2026-11-30T00:00:00Z");
  const wednesday = new Date("2026-12-02T00:30:00Z");
  const friday = new Date("2026-12-04T01:00:00Z");

  it("is the earliest chosen edition that will be sent", () => {
    expect(
      firstDelivery([
        { digest: interviews, at: friday, wouldSend: true },
        { digest: waic, at: wednesday, wouldSend: true },
      ]),
    ).toEqual({ at: wednesday, digests: [waic] });
  });

  it("skips editions with nothing new, and schedules that never fire", () => {
    expect(
      firstDelivery([
        { digest: weekly, at: monday, wouldSend: false },
        { digest: waic, at: null, wouldSend: true },
        { digest: interviews, at: friday, wouldSend: true },
      ]),
    ).toEqual({ at: friday, digests: [interviews] });
  });

  it("names every digest sent at that moment, and is null when nothing is due", () => {
    const other = { ...weekly, id: "weekly-2", title: "另一份周报" };
    expect(
      firstDelivery([
        { digest: weekly, at: monday, wouldSend: true },
        { digest: other, at: monday, wouldSend: true },
      ]),
    ).toEqual({ at: monday, digests: [weekly, other] });
    expect(firstDelivery([{ digest: weekly, at: monday, wouldSend: false }])).toBeNull();
    expect(firstDelivery([])).toBeNull();
  });
});
