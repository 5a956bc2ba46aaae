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

export async function inFlightPool<T>(
  items: readonly T[],
  window: SendWindow,
  cap: number | null,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const size = () => Math.max(1, Math.min(cap ?? PLATFORM_IN_FLIGHT, window.inFlightTarget()));
  let next = 0;
  while (next < items.length || running.size > 0) {
    while (next < items.length && running.size < size()) {
      const item = items[next++] as T;
      const task: Promise<void> = work(item).finally(() => running.delete(task));
      running.add(task);
    }
    // Widen as soon as the target rises: waiting for the first item to finish leaves a latency of slots idle.
    await Promise.race([...running, window.targetRaised()]);
  }
}
