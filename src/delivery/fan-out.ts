/**
 * Fan-out: writes an edition's recipients into the ledger one page at a time (batches of
 * ≤ 100 subscriber ids) and enqueues a deliver message per batch. Each page is bounded
 * (BATCH_SIZE × FANOUT_PAGE_BATCHES recipients, one queue sendBatch); a step writes up to `pages` pages and, when
 * the list goes on, hands the next page to the queue, so no invocation walks the whole
 * list and a million recipients take a handful of queue messages.
 */
import { getConfig } from "../config.ts";
import type { Edition } from "../digests/editions-store.ts";
import { recipientIdsAfter } from "../subscribers/audience-store.ts";
import { BATCH_SIZE, BATCHES_PER_PAGE, closeEditionIfDelivered, completeFanOut, writeFanOutPage } from "./ledger-store.ts";
import { BATCHES_PER_MESSAGE, enqueue, type DeliveryMessage } from "./messages.ts";
import { log } from "../log.ts";

/**
 * Pages one queued fan-out step writes: 20 × 5,000 recipients, three D1 queries and one
 * queue call a page, far inside a consumer invocation's limits (1,000 D1 queries on
 * Workers Paid, 15 minutes of wall time).
 */
export const PAGES_PER_STEP = 20;

/** A page's batches (consecutive numbers) as deliver messages of up to BATCHES_PER_MESSAGE each. */
function deliverMessages(edition: string, batches: readonly number[]): DeliveryMessage[] {
  const messages: DeliveryMessage[] = [];
  for (let i = 0; i < batches.length; i += BATCHES_PER_MESSAGE) {
    const group = batches.slice(i, i + BATCHES_PER_MESSAGE);
    messages.push({ type: "deliver", edition, batch: group[0] ?? 0, batches: group.length });
  }
  return messages;
}

export async function fanOutPage(env: Env, edition: Edition, page: number, after: number, now: Date, pages = PAGES_PER_STEP): Promise<void> {
  // A stopped edition (quota) still gets its batches, as failed, so retry-failed reaches everyone.
  const failedWith = edition.status === "stopped" ? (edition.error ?? "edition stopped") : null;
  const pageBatches = getConfig(env).fanOutPageBatches ?? BATCHES_PER_PAGE;
  const pageSize = BATCH_SIZE * pageBatches;
  for (let step = 1; ; step++, page++) {
    const started = Date.now();
    const ids = await recipientIdsAfter(env.DB, edition.digestId, after, pageSize);
    const written = await writeFanOutPage(env.DB, edition.id, page, ids, failedWith, now, pageBatches);
    const full = written.recipients === pageSize;
    const messages: DeliveryMessage[] = failedWith
      ? []
      : deliverMessages(edition.id, written.batches);
    const handOver = full && step >= pages;
    if (handOver) messages.push({ type: "fan-out", edition: edition.id, page: page + 1, after: written.lastSubscriberId });
    await enqueue(env.DELIVERY_QUEUE, messages);
    if (!full) {
      await completeFanOut(env.DB, edition.id, now);
      await closeEditionIfDelivered(env.DB, edition.id, now);
    }
    const counts = { recipients: written.recipients, batches: written.batches.length, complete: !full };
    log.info("fan-out", { edition: edition.id, page, ...counts, durationMs: Date.now() - started });
    if (!full || handOver) return;
    after = written.lastSubscriberId;
  }
}
