/**
 * The provider's window (src/email/pacer.ts) on a fake clock: when each request may
 * start, from scripted answers. It must never start a request earlier than the provider
 * allows (a window full of someone else's requests, a 429), must not wait for answers
 * when the window has room, and grants transactional mail before waiting digest batches.
 * No real waiting: the fake clock jumps over every hold.
 */
import { describe, expect, it } from "vitest";
import { Pacer, type Lane } from "../src/email/pacer.ts";
import { FakeClock } from "./helpers/fake-clock.ts";

/** The headers of an answer from a provider allowing `limit` requests a second. */
function answer(limit: number, remaining: number, reset = 1, retryAfter?: number): Record<string, string> {
  const headers: Record<string, string> = {
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": String(remaining),
    "ratelimit-reset": String(reset),
  };
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  return headers;
}

/** A pacer that has learned the limit from one answer `latencyMs` after its first request. */
async function learned(limit: number, latencyMs = 100) {
  const clock = new FakeClock(0);
  const pacer = new Pacer(clock);
  const { grant } = await pacer.acquire("digest");
  clock.advance(latencyMs);
  await pacer.settle(grant, answer(limit, limit - 1), latencyMs);
  return { clock, pacer };
}

/** Acquires one after another (no answers between), returning when each was granted. */
async function startTimes(pacer: Pacer, clock: FakeClock, count: number, lane: Lane = "digest"): Promise<number[]> {
  const at: number[] = [];
  for (let i = 0; i < count; i++) {
    await pacer.acquire(lane);
    at.push(clock.nowMs());
  }
  return at;
}

describe("provider window", () => {
  it("sends one request until an answer names the limit", async () => {
    const clock = new FakeClock(0);
    const pacer = new Pacer(clock);
    expect(pacer.inFlightTarget()).toBe(1);
    // No answer yet: one request a window (plus the 25 ms margin).
    expect(await startTimes(pacer, clock, 2)).toEqual([0, 1025]);
  });

  it("starts the announced limit at once, then each slot one window after the start it replaces, without waiting for answers", async () => {
    const { clock, pacer } = await learned(2);
    // The probe started at 0: one more now, then every slot 1 s + 25 ms after the start two before it.
    expect(await startTimes(pacer, clock, 4)).toEqual([100, 1025, 1125, 2050]);
  });

  it("holds the whole announced reset when someone else's request fills the window", async () => {
    const { clock, pacer } = await learned(2);
    clock.advance(60_000);
    const { grant } = await pacer.acquire("digest");
    clock.advance(100);
    // Full, though ours is the only request in the last minute: another sender's.
    await pacer.settle(grant, answer(2, 0, 1), 100);
    expect(await startTimes(pacer, clock, 1)).toEqual([60_200 + 1000]);
  });

  it("takes no full window of its own for someone else's when answers come back at uneven latencies", async () => {
    const { clock, pacer } = await learned(2, 1000);
    clock.advance(8_400);
    // The clock now reads 9.4 s.
    const q = await pacer.acquire("digest");
    clock.advance(600);
    const r = await pacer.acquire("digest");
    clock.advance(400);
    await pacer.settle(q.grant, answer(2, 1), 1000);
    // R reached the provider at 10 s with Q (9.4 s) in its window, but its answer took 1.5 s:
    // counted from the answer less the shortest latency (10.5 s), Q looks a window older.
    clock.advance(1100);
    await pacer.settle(r.grant, answer(2, 0), 1500);
    expect(await startTimes(pacer, clock, 1)).toEqual([11_500]);
    // Someone else filling the window is still seen through the same spread of latencies.
    clock.advance(60_000);
    const alone = await pacer.acquire("digest");
    clock.advance(1000);
    // Full, with ours alone in it even counted widely: someone else's. The whole reset is held.
    await pacer.settle(alone.grant, answer(2, 0), 1000);
    const answeredAt = clock.nowMs();
    expect(await startTimes(pacer, clock, 1)).toEqual([answeredAt + 1000]);
  });

  it("after a 429 starts nothing before its retry-after, and leaves a wider margin from then on", async () => {
    const { clock, pacer } = await learned(2);
    clock.advance(10_000);
    const { grant } = await pacer.acquire("digest");
    await pacer.settle(grant, answer(2, 0, 1, 3), 0);
    const [first, second, third] = await startTimes(pacer, clock, 3);
    expect(first).toBe(10_100 + 3000);
    expect(second).toBe(first);
    // The margin doubled: the next slot is 1 s + 50 ms after the start it replaces.
    expect(third! - first!).toBe(1050);
  });

  it("an answer saying our own full window is full holds nothing, however long the request took", async () => {
    const { clock, pacer } = await learned(2, 1500);
    clock.advance(10_000);
    const first = await pacer.acquire("digest");
    const second = await pacer.acquire("digest");
    // Both answered 1.5 s later, after the window had moved past them: full, with our two starts.
    clock.advance(1500);
    await pacer.settle(first.grant, answer(2, 1), 1500);
    await pacer.settle(second.grant, answer(2, 0), 1500);
    // Both starts (11.5 s) left the window long ago: the next one goes now, not after a held reset.
    const [next] = await startTimes(pacer, clock, 1);
    expect(next).toBe(13_000);
  });

  it("after a quiet half minute a margin widened by 429s narrows again", async () => {
    const { clock, pacer } = await learned(2);
    clock.advance(10_000);
    const limited = await pacer.acquire("digest");
    await pacer.settle(limited.grant, answer(2, 0, 1, 1), 0);
    const [a, , c] = await startTimes(pacer, clock, 3);
    expect(c! - a!).toBe(1050);
    clock.advance(31_000);
    const quiet = await pacer.acquire("digest");
    await pacer.settle(quiet.grant, answer(2, 1), 0);
    clock.advance(5_000);
    const [d, , f] = await startTimes(pacer, clock, 3);
    expect(f! - d!).toBe(1025);
  });

  it("counts a request not yet answered from when requests have lately been arriving after their grants", async () => {
    const { clock, pacer } = await learned(1, 100);
    clock.advance(5_000);
    // The answers say requests reach the provider 200 ms after their grant (latency 300 ms, shortest 100 ms).
    for (let i = 0; i < 3; i++) {
      const { grant } = await pacer.acquire("digest");
      clock.advance(300);
      await pacer.settle(grant, answer(1, 0), 300);
      clock.advance(2_000);
    }
    const [unanswered, next] = await startTimes(pacer, clock, 2);
    // The unanswered one counts from 200 ms after its grant: its slot frees 1 s + 25 ms after that.
    expect(next! - unanswered!).toBe(1225);
  });

  it("reuses an unanswered request's slot only once even its latest recent arrival would have left the window; its answer frees the slot at once", async () => {
    const { clock, pacer } = await learned(1, 100);
    // Eleven answers: ten say the request arrived as granted, one 150 ms late.
    for (const late of [0, 0, 0, 0, 0, 150, 0, 0, 0, 0, 0]) {
      clock.advance(5_000);
      const { grant } = await pacer.acquire("digest");
      clock.advance(100 + late);
      await pacer.settle(grant, answer(1, 0), 100 + late);
    }
    clock.advance(5_000);
    const [unanswered, next] = await startTimes(pacer, clock, 2);
    // Usually on time (counted at its grant), but it may be as late as the latest: 1 s + 25 ms + 150 ms.
    expect(next! - unanswered!).toBe(1175);

    clock.advance(5_000);
    const first = await pacer.acquire("digest");
    const grantedAt = clock.nowMs();
    clock.advance(100);
    await pacer.settle(first.grant, answer(1, 0), 100);
    await pacer.acquire("digest");
    // Answered: it arrived at its grant, so its slot frees 1 s + 25 ms after that.
    expect(clock.nowMs() - grantedAt).toBe(1025);
  });

  it("grants waiting transactional mail before waiting digest batches", async () => {
    const { pacer } = await learned(1);
    const order: string[] = [];
    const ask = (lane: Lane, name: string) => pacer.acquire(lane).then(() => order.push(name));
    // Asked last, while the window is full and three batches wait: the confirmation takes the next slot.
    await Promise.all([ask("digest", "batch 1"), ask("digest", "batch 2"), ask("digest", "batch 3"), ask("transactional", "confirmation")]);
    expect(order).toEqual(["confirmation", "batch 1", "batch 2", "batch 3"]);
  });

  it("keeps going the limit times the time a request holds a slot (latency + window), plus a window's worth being prepared", async () => {
    const { pacer, clock } = await learned(10, 1000);
    expect(pacer.inFlightTarget()).toBe(30);
    for (let i = 0; i < 10; i++) {
      const { grant } = await pacer.acquire("digest");
      clock.advance(10);
      await pacer.settle(grant, answer(10, 5), 100);
    }
    // The 90th percentile of the latencies seen: the one slow answer is left out.
    expect(pacer.inFlightTarget()).toBe(21);
  });
});
