/**
 * How an event is told at a given moment, shared by the digest emails and the article
 * page so both say the same thing: a recap (活动回顾, past tense, no registration call,
 * no countdown) once it has ended; otherwise when, where and how to register. Pure.
 */
import { beijingDate, chineseDateRange, formatBeijingTime, formatChineseDate } from "../text/beijing-time.ts";
import { daysUntilStart, eventPhase, isWholeDay, registrationOpen, type EventPhase } from "./event-time.ts";
import type { EventFacts } from "./item.ts";

export interface EventPresentation {
  phase: EventPhase;
  /** 活动预告, 活动进行中 or 活动回顾. */
  label: string;
  when: string;
  /** Past tense once ended; a countdown (in whole days) before it starts. */
  status: string;
  /** Registration is open (not ended, deadline not passed): the source's own call may be shown. */
  registrationOpen: boolean;
  /** The registration URL while registration is open. */
  registrationUrl: string | null;
  /** e.g. 2026年12月1日 18:00（北京时间）, while registration is open. */
  deadline: string | null;
}

const LABELS: Record<EventPhase, string> = { upcoming: "活动预告", ongoing: "活动进行中", ended: "活动回顾" };

/**
 * When an event takes place, as readers in China read it: "2021 年 7 月 8 日—10 日" for whole
 * days, "2026 年 12 月 10 日 14:00—17:00（北京时间）" or "2026 年 12 月 10 日 14:00—12 月 11 日 12:00（北京时间）"
 * for times. Events name Asia/Shanghai (the schema allows no other zone), so Beijing time is theirs.
 */
function formatEventTime(event: EventFacts): string {
  if (isWholeDay(event)) return chineseDateRange(event.starts, event.ends);
  const startDay = beijingDate(new Date(event.starts));
  const endDay = beijingDate(new Date(event.ends));
  const clock = (iso: string) => formatBeijingTime(iso).slice(-5);
  const endDate = endDay === startDay ? "" : `${chineseDateRange(startDay, endDay).split("—")[1]} `;
  return `${formatChineseDate(startDay)} ${clock(event.starts)}—${endDate}${clock(event.ends)}（北京时间）`;
}

function status(event: EventFacts, phase: EventPhase, now: Date, when: string): string {
  if (phase === "ended") return `本活动已于 ${when} 举行。`;
  if (phase === "ongoing") return "活动正在进行中。";
  return `距活动开始还有 ${daysUntilStart(event, now)} 天。`;
}

export function presentEvent(event: EventFacts, now: Date, { countdown = true } = {}): EventPresentation {
  const phase = eventPhase(event, now);
  const when = formatEventTime(event);
  const open = registrationOpen(event, now);
  const deadline = event.registration?.deadline;
  return {
    phase,
    label: LABELS[phase],
    when,
    status: phase === "upcoming" && !countdown ? "活动尚未开始。" : status(event, phase, now, when),
    registrationOpen: open,
    registrationUrl: open ? (event.registration?.url ?? null) : null,
    deadline: open && deadline ? `${formatBeijingTime(deadline)}（北京时间）` : null,
  };
}
