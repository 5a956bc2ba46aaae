/**
 * A queue invocation's steps side by side (src/email/in-flight-pool.ts): as many at once as
 * the provider's window asks for, and more as soon as it asks for more.
 */
import { describe, expect, it } from "vitest";
import { inFlightPool } from "../src/email/in-flight-pool.ts";
import { Pacer } from "../src/email/pacer.ts";
import { FakeClock } from "./helpers/fake-clock.ts";

const tenPerSecond = { "ratelimit-limit": "10", "ratelimit-remaining": "9", "ratelimit-reset": "1" };

const settled = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("in-flight pool", () => {
  it("starts one step while the limit is unknown, and the rest as soon as the first answer names it, not when that step is done", async () => {
    const clock = new FakeClock(0);
    const pacer = new Pacer(clock);
    const started: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pool = inFlightPool([0, 1, 2, 3, 4], pacer, null, async (step) => {
      started.push(step);
      const { grant } = await pacer.acquire("digest");
      if (step === 0) await pacer.settle(grant, tenPerSecond, 100);
      // Each step then waits for something slow (a template, the next answer): the pool must not wait with it.
      await gate;
    });
    await settled();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    release();
    await pool;
  });

  it("keeps to the target: never more steps at once than the window asks for", async () => {
    const clock = new FakeClock(0);
    const pacer = new Pacer(clock);
    let running = 0;
    let most = 0;
    await inFlightPool([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], pacer, 3, async () => {
      most = Math.max(most, ++running);
      const { grant } = await pacer.acquire("digest");
      await pacer.settle(grant, tenPerSecond, 100);
      await settled();
      running--;
    });
    expect(most).toBe(3);
  });
});
