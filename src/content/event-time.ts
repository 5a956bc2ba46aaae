/**
 * Where an event stands in time. Pure: "now" is always passed in (the send time of an
 * email, the request time of a page), never read here, so one item presents the same
 * way everywhere at the same moment and tests can stand before and after an event.
 */
import { eventTimeZones } from "./event-time-zones.ts";
import type { EventFacts } from "./item.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A whole-day event names dates only (YYYY-MM-DD); a timed one names date-times with offsets. */
export const isWholeDay = (event: EventFacts): boolean => !event.starts.includes("T");

/** Midnight starting that date in the event's time zone. */
const midnight = (date: string, event: EventFacts): number => Date.parse(`${date}T00:00:00${eventTimeZones[event.timezone]}`);

/** The first moment of the event (ms since the epoch). */
export function eventStart(event: EventFacts): number {
  return isWholeDay(event) ? midnight(event.starts, event) : Date.parse(event.starts);
}

/** The moment the event is over (exclusive): for a whole-day event, midnight after its last day. */
export function eventEnd(event: EventFacts): number {
  return isWholeDay(event) ? midnight(event.ends, event) + DAY_MS : Date.parse(event.ends);
}

export type EventPhase = "upcoming" | "ongoing" | "ended";

export function eventPhase(event: EventFacts, now: Date): EventPhase {
  const t = now.getTime();
  if (t >= eventEnd(event)) return "ended";
  return t >= eventStart(event) ? "ongoing" : "upcoming";
}

/** Readers may still register: the event has not ended and its deadline, if any, has not passed. */
export function registrationOpen(event: EventFacts, now: Date): boolean {
  const deadline = event.registration?.deadline;
  return eventPhase(event, now) !== "ended" && (!deadline || now.getTime() < Date.parse(deadline));
}

/** Whole days until the event starts (1 on the day before), for an upcoming event. */
export function daysUntilStart(event: EventFacts, now: Date): number {
  return Math.max(1, Math.ceil((eventStart(event) - now.getTime()) / DAY_MS));
}

/**
 * The latest moment at or before `now` when the event's presentation changed (it started,
 * ended or closed registration), or null when none has passed yet: a page's Last-Modified
 * must move with it, or a cache revalidating with If-Modified-Since keeps the old page.
 */
export function lastPresentationChange(event: EventFacts, now: Date): number | null {
  const deadline = event.registration?.deadline;
  const changes = [eventStart(event), eventEnd(event), ...(deadline ? [Date.parse(deadline)] : [])];
  const passed = changes.filter((t) => t <= now.getTime());
  return passed.length > 0 ? Math.max(...passed) : null;
}
