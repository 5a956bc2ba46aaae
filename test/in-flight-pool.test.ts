/**
 * The pool a queue invocation runs its steps in (src/email/in-flight-pool.ts): as many at
 * once as the window asks for, of which only a few still getting ready (reading the ledger,
 * rendering), so the first steps of a large pool reach the provider at once instead of
 * every step sharing the database until all are ready together.
 */
import { describe, expect, it } from "vitest";
import { inFlightPool, PREPARING_AT_ONCE } from "../src/email/in-flight-pool.ts";
import { Pacer } from "../src/email/pacer.ts";
import { FakeClock } from "./helpers/fake-clock.ts";

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("in-flight pool", () => {
  it("keeps at most ten steps getting ready at once, and starts the next as soon as one is ready", async () => {
    const window = new Pacer(new FakeClock(0));
    // A pacer that has not learned the limit asks for one at a time: teach it a large one.
    const { grant } = await window.acquire("digest");
    await window.settle(grant, { "ratelimit-limit": "100", "ratelimit-remaining": "99", "ratelimit-reset": "1" }, 10);
    const gates = Array.from({ length: 30 }, gate);
    const waitingOnProvider = gate();
    const started: number[] = [];
    let preparing = 0;
    let most = 0;
    const run = inFlightPool(
      gates.map((_, i) => i),
      window,
      // The window would keep far more in flight: only the getting-ready bound holds them back.
      100,
      async (i, ready) => {
        started.push(i);
        most = Math.max(most, ++preparing);
        await gates[i]!.opened;
        preparing--;
        ready();
        await waitingOnProvider.opened;
      },
    );
    await settled();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    gates[3]!.open();
    await settled();
    // One step ready (now only waiting on the provider): the next one starts.
    expect(started).toHaveLength(11);
    for (const g of gates) g.open();
    waitingOnProvider.open();
    await run;
    expect(started).toHaveLength(30);
    expect(most).toBe(PREPARING_AT_ONCE);
  });
});
