/**
 * The pacer's own account of the provider's window (src/delivery/pacer.ts) must never
 * send earlier than the provider allows: when the window holds someone else's request,
 * or after a 429, only the provider's announced hold counts. Scripted answers on a fake
 * clock: no real waiting.
 */
import { describe, expect, it } from "vitest";
import { Pacer } from "../src/delivery/pacer.ts";
import { FakeClock } from "./helpers/fake-clock.ts";

type Answer = { remaining: number; reset: number; retryAfter?: number };

/** Sends one request per answer, each answered `answerMs` after it left; returns when each left. */
async function sendAll(pacer: Pacer, clock: FakeClock, answers: Answer[], answerMs = 100): Promise<number[]> {
  const sentAt: number[] = [];
  for (const answer of answers) {
    await pacer.run(async () => {
      sentAt.push(clock.nowMs());
      clock.advance(answerMs);
      const headers: Record<string, string> = {
        "ratelimit-limit": "2",
        "ratelimit-remaining": String(answer.remaining),
        "ratelimit-reset": String(answer.reset),
      };
      if (answer.retryAfter !== undefined) headers["retry-after"] = String(answer.retryAfter);
      return { headers };
    });
  }
  return sentAt.map((at) => at - (sentAt[0] ?? 0));
}

describe("pacer", () => {
  it("holds from the answer that opened the window, not the one that used it up", async () => {
    const clock = new FakeClock(0);
    const sent = await sendAll(new Pacer(clock), clock, [
      { remaining: 1, reset: 1 },
      { remaining: 0, reset: 1 },
      { remaining: 0, reset: 1 },
      { remaining: 0, reset: 1 },
    ]);
    // The third goes 1 s after the first was answered (100 ms), the fourth 1 s after the second.
    expect(sent).toEqual([0, 100, 1100, 1200]);
  });

  it("holds the whole announced reset when someone else's request fills the window", async () => {
    const clock = new FakeClock(0);
    const pacer = new Pacer(clock);
    await sendAll(pacer, clock, [
      { remaining: 1, reset: 1 },
      { remaining: 0, reset: 1 },
    ]);
    clock.advance(60_000);
    // A minute later our earlier requests are long gone, yet the window is full: another sender's.
    const sent = await sendAll(pacer, clock, [
      { remaining: 0, reset: 1 },
      { remaining: 1, reset: 1 },
    ]);
    expect(sent).toEqual([0, 1100]);
  });

  it("after a 429 trusts only the provider's announced holds", async () => {
    const clock = new FakeClock(0);
    const sent = await sendAll(new Pacer(clock), clock, [
      { remaining: 1, reset: 1 },
      { remaining: 0, reset: 1, retryAfter: 1 },
      { remaining: 1, reset: 1 },
      { remaining: 0, reset: 1 },
      { remaining: 1, reset: 1 },
    ]);
    // After the 429: retry-after from its answer (at 200), then a whole reset from the answer
    // that used the window up (at 1300), not 1 s after the window's first answer (1200).
    expect(sent).toEqual([0, 100, 1200, 1300, 2400]);
  });
});
