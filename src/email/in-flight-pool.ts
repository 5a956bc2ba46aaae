/**
 * Runs a queue invocation's messages side by side: as many at once as the provider's
 * window says keep its slots busy (read again each time one finishes, as the window
 * learns the limit and the latency), at most `cap` (PROVIDER_MAX_IN_FLIGHT, or
 * PLATFORM_IN_FLIGHT), and of those at most PREPARING_AT_ONCE still getting ready.
 * `work` calls `ready` once it only waits on the provider (or finishes), settles its
 * own message and never throws.
 */
import type { SendWindow } from "./pacer.ts";

/**
 * A Worker invocation may have six connections waiting for response headers; a seventh
 * waits for one of them, so it would start later than its grant and reach the provider
 * out of turn. More in flight comes from more invocations (max_concurrency), all granted
 * by the one window.
 */
export const PLATFORM_IN_FLIGHT = 6;

/**
 * Items getting ready at once: reading the ledger and rendering, before they wait on the
 * provider (a grant, or the edition's template being stored). Started all together, a large pool's items share the database and
 * are all ready late (about a second for 120 locally), leaving the window's slots idle at
 * an invocation's start; ten at a time, the first are ready at once and the rest follow
 * faster than grants come.
 */
export const PREPARING_AT_ONCE = 10;

export async function inFlightPool<T>(
  items: readonly T[],
  window: SendWindow,
  cap: number | null,
  work: (item: T, ready: () => void) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const size = () => Math.max(1, Math.min(cap ?? PLATFORM_IN_FLIGHT, window.inFlightTarget()));
  let preparing = 0;
  let wake = () => {};
  let next = 0;
  while (next < items.length || running.size > 0) {
    while (next < items.length && running.size < size() && preparing < PREPARING_AT_ONCE) {
      const item = items[next++] as T;
      preparing++;
      let prepared = false;
      const ready = () => {
        if (prepared) return;
        prepared = true;
        preparing--;
        wake();
      };
      const task: Promise<void> = work(item, ready).finally(() => {
        ready();
        running.delete(task);
      });
      running.add(task);
    }
    await Promise.race([...running, new Promise<void>((resolve) => (wake = resolve))]);
  }
}
