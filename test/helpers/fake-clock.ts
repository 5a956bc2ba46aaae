/**
 * A clock for tests: it starts where the test says and moves only when the code under
 * test sleeps on it (a wait is observed at once, never spent) or the test advances it.
 */
import type { Clock } from "../../src/clock.ts";

export class FakeClock implements Clock {
  constructor(private ms: number) {}

  now(): Date {
    return new Date(this.ms);
  }

  /** Milliseconds since the epoch, for fakes that keep time as numbers. */
  readonly nowMs = (): number => this.ms;

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }

  advance(ms: number): void {
    this.ms += Math.max(0, ms);
  }
}
