/**
 * Runs a queue invocation's messages side by side: as many at once as the provider's
 * window says keep its slots busy (read again each time one finishes or the target rises,
 * as the window learns the limit and the latency), at most `cap` (PROVIDER_MAX_IN_FLIGHT,
 * or PLATFORM_IN_FLIGHT). `work` settles its own message and never throws.
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
 * Items started but not yet granted their first request (reading the ledger, rendering,
 * then waiting for the window). Enough to keep ahead of the window's grants; more would
 * only take the isolate's one thread at once: a hundred prepared together become ready
 * together, most of a second after the invocation began, and delay the answers of the
 * requests in flight, which the window then counts as arriving late.
 */
export const READY_AHEAD = 12;

export async function inFlightPool<T>(
  items: readonly T[],
  window: SendWindow,
  cap: number | null,
  work: (item: T, window: SendWindow) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const size = () => Math.max(1, Math.min(cap ?? PLATFORM_IN_FLIGHT, window.inFlightTarget()));
  let ahead = 0;
  let granted = () => {};
  let next = 0;
  while (next < items.length || running.size > 0) {
    while (next < items.length && running.size < size() && ahead < READY_AHEAD) {
      const item = items[next++] as T;
      ahead++;
      let isAhead = true;
      const leave = () => {
        if (!isAhead) return;
        isAhead = false;
        ahead--;
        granted();
      };
      // The item stops being ahead once its first request is granted (or it finishes without one).
      const itemWindow: SendWindow = {
        clock: window.clock,
        acquire: (lane) => window.acquire(lane).finally(leave),
        settle: (grant, headers, latencyMs) => window.settle(grant, headers, latencyMs),
        inFlightTarget: () => window.inFlightTarget(),
        targetRaised: () => window.targetRaised(),
      };
      const task: Promise<void> = work(item, itemWindow).finally(() => (leave(), running.delete(task)));
      running.add(task);
    }
    // Start more as soon as the target rises or an item is granted: waiting for the first item to finish leaves a latency of slots idle.
    await Promise.race([...running, window.targetRaised(), new Promise<void>((resolve) => (granted = resolve))]);
  }
}
