/**
 * Runs a queue invocation's messages side by side: as many at once as the provider's
 * window says keep its slots busy (read again each time one finishes, as the window
 * learns the limit and the latency), at most `cap` when PROVIDER_MAX_IN_FLIGHT sets one.
 * `work` settles its own message and never throws.
 */
import type { SendWindow } from "./pacer.ts";

export async function inFlightPool<T>(
  items: readonly T[],
  window: SendWindow,
  cap: number | null,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const size = () => Math.max(1, Math.min(cap ?? Number.POSITIVE_INFINITY, window.inFlightTarget()));
  let next = 0;
  while (next < items.length || running.size > 0) {
    while (next < items.length && running.size < size()) {
      const item = items[next++] as T;
      const task: Promise<void> = work(item).finally(() => running.delete(task));
      running.add(task);
    }
    await Promise.race(running);
  }
}
