/**
 * The time, read and waited on through one seam: the Worker's entry points pass the
 * system clock down to delivery, tests pass a fake one, so nothing in a test waits on
 * real time for pacing or depends on the date the suite happens to run on.
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
