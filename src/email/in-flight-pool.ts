/**
 * Runs a queue invocation's messages side by side: as many at once as the provider's
 * window says keep its slots busy (read again each time one finishes or the target rises,
 * as the window learns the limit and the latency), at most `cap` (PROVIDER_MAX_IN_FLIGHT,
 * or PLATFORM_IN_FLIGHT), and at most PREPARING_AT_ONCE of them before their first request.
 * `work` gets a window of its own to ask for grants, settles its own message and never throws.
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
 * Items preparing at once (reading the ledger, rendering) before they ask the window for a
 * grant. A hundred started together share the isolate's one thread and all become ready
 * together, most of a second after the invocation began; a few at a time make the first
 * request ready in milliseconds and the rest keep ahead of the window.
 */
export const PREPARING_AT_ONCE = 4;

/** `window` as one item sees it: `onAsk` hears each time it asks for a grant. */
function windowTelling(window: SendWindow, onAsk: () => void): SendWindow {
  return {
    clock: window.clock,
    acquire: (lane) => (onAsk(), window.acquire(lane)),
    settle: (grant, headers, latencyMs) => window.settle(grant, headers, latencyMs),
    inFlightTarget: () => window.inFlightTarget(),
    targetRaised: () => window.targetRaised(),
  };
}

export async function inFlightPool<T>(
  items: readonly T[],
  window: SendWindow,
  cap: number | null,
  work: (item: T, window: SendWindow) => Promise<void>,
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
      // Prepared once it asks for its first grant, or finishes without asking.
      let isPreparing = true;
      const prepared = () => {
        if (!isPreparing) return;
        isPreparing = false;
        preparing--;
        wake();
      };
      const task: Promise<void> = work(item, windowTelling(window, prepared)).finally(() => (prepared(), running.delete(task)));
      running.add(task);
    }
    // Start more as soon as the target rises or an item is prepared: waiting for the first item to finish leaves a latency of slots idle.
    await Promise.race([...running, window.targetRaised(), new Promise<void>((resolve) => (wake = resolve))]);
  }
}
