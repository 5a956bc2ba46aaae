/**
 * A clock for tests: it starts where the test says and moves only when the code under
 * test sleeps on it (a wait is observed at once, never spent) or the test advances it.
 */
import { vi } from "vitest";
import type { Clock } from "../../src/clock.ts";

export class FakeClock implements Clock {
  constructor(private ms: number) {}

  now(): Date {
    return new Date(this.ms);
  }

  /** Milliseconds since the epoch, for fakes that keep time as numbers. */
  readonly nowMs = (): number => this.ms;

  async sleep(ms: number): Promise<void> {
    // What was started before the sleep (a request just granted) runs first, at the time it
    // was started, as it would on a real clock; then the time jumps.
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.advance(ms);
  }

  advance(ms: number): void {
    this.ms += Math.max(0, ms);
  }
}

/**
 * Half a second before midnight in Beijing, whose date edition ids and daily figures
 * carry: a suite run on the real clock at this moment would see two dates.
 */
export const BEFORE_BEIJING_MIDNIGHT = Date.parse("2026-12-01T15:59:59.500Z");
export const BEIJING_DATE_THEN = "2026-12-01";

/**
 * Fixes the Date the routes read (they call `new Date()` themselves). Only Date is
 * faked: timers stay real so I/O and the local queue still run. Undo with vi.useRealTimers().
 */
export function freezeDate(at = BEFORE_BEIJING_MIDNIGHT): void {
  vi.useFakeTimers({ toFake: ["Date"], now: at });
}
