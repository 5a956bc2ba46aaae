/**
 * A queue invocation's steps side by side (src/email/in-flight-pool.ts): as many at once as
 * the provider's window asks for, and more as soon as it asks for more, but never more
 * started ahead of the window's grants than keep it busy.
 */
import { describe, expect, it } from "vitest";
import { inFlightPool, READY_AHEAD } from "../src/email/in-flight-pool.ts";
import { Pacer, type SendWindow } from "../src/email/pacer.ts";
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

describe("in-flight pool ahead of the window", () => {
  it(`starts at most ${READY_AHEAD} steps the window has not granted yet, and one more for each grant`, async () => {
    const clock = new FakeClock(0);
    const grants: (() => void)[] = [];
    // A window that asks for a hundred at once but grants only when the test says so.
    const window: SendWindow = {
      clock,
      acquire: () => new Promise((resolve) => grants.push(() => resolve({ grant: grants.length, inFlightTarget: 100 }))),
      settle: async () => 100,
      inFlightTarget: () => 100,
      targetRaised: () => new Promise(() => {}),
    };
    const started: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const items = Array.from({ length: 30 }, (_, i) => i);
    const pool = inFlightPool(items, window, 100, async (step, stepWindow) => {
      started.push(step);
      await stepWindow.acquire("digest");
      await gate;
    });
    await settled();
    expect(started).toHaveLength(READY_AHEAD);
    grants[0]?.();
    grants[1]?.();
    await settled();
    expect(started).toHaveLength(READY_AHEAD + 2);
    for (let i = 2; i < items.length; i++) {
      grants[i]?.();
      await settled();
    }
    expect(started).toHaveLength(items.length);
    release();
    await pool;
  });
});
