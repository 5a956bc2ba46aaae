/**
 * A queue invocation's steps side by side (src/email/in-flight-pool.ts): as many at once as
 * the provider's window asks for, and more as soon as it asks for more, but only a few
 * preparing (reading, rendering) at once, so the first requests are ready at once.
 */
import { describe, expect, it } from "vitest";
import { inFlightPool, PREPARING_AT_ONCE } from "../src/email/in-flight-pool.ts";
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
    const pool = inFlightPool([0, 1, 2, 3, 4], pacer, null, async (step, stepWindow) => {
      started.push(step);
      const { grant } = await stepWindow.acquire("digest");
      if (step === 0) await stepWindow.settle(grant, tenPerSecond, 100);
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
    await inFlightPool([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], pacer, 3, async (_, stepWindow) => {
      most = Math.max(most, ++running);
      const { grant } = await stepWindow.acquire("digest");
      await stepWindow.settle(grant, tenPerSecond, 100);
      await settled();
      running--;
    });
    expect(most).toBe(3);
  });
});

describe("in-flight pool preparing", () => {
  it(`prepares at most ${PREPARING_AT_ONCE} steps at once, and starts the next as soon as one asks for its grant`, async () => {
    const clock = new FakeClock(0);
    const window: SendWindow = {
      clock,
      acquire: async () => ({ grant: 1, inFlightTarget: 100 }),
      settle: async () => 100,
      inFlightTarget: () => 100,
      targetRaised: () => new Promise(() => {}),
    };
    const started: number[] = [];
    const finishPreparing: (() => void)[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const items = Array.from({ length: 10 }, (_, i) => i);
    const pool = inFlightPool(items, window, 100, async (step, stepWindow) => {
      started.push(step);
      // Reading the ledger and rendering, until the test says it is done.
      await new Promise<void>((resolve) => finishPreparing.push(resolve));
      await stepWindow.acquire("digest");
      await gate;
    });
    await settled();
    expect(started).toHaveLength(PREPARING_AT_ONCE);
    finishPreparing[0]?.();
    await settled();
    expect(started).toHaveLength(PREPARING_AT_ONCE + 1);
    for (let i = 1; i < items.length; i++) {
      finishPreparing[i]?.();
      await settled();
    }
    // Prepared steps stay in flight (waiting for answers) while the rest start.
    expect(started).toHaveLength(items.length);
    release();
    await pool;
  });
});
