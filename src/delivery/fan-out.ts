/**
 * Fan-out: writes an edition's recipients into the ledger one page at a time and
 * enqueues a deliver message per batch of ≤ 100. Each step is bounded (one page of
 * BATCH_SIZE × FANOUT_PAGE_BATCHES recipients, one queue sendBatch); a full page hands
 * the next page to the queue, so no invocation walks the whole list.
 */
import { getConfig } from "../config.ts";
import { closeEditionIfDelivered, type Edition } from "../digests/editions-store.ts";
import { BATCH_SIZE, BATCHES_PER_PAGE, completeFanOut, writeFanOutPage } from "./ledger-store.ts";
import { enqueue, type DeliveryMessage } from "./messages.ts";
import { log } from "../log.ts";

export async function fanOutPage(env: Env, edition: Edition, page: number, after: number, now: Date): Promise<void> {
  const started = Date.now();
  // A stopped edition (quota) still gets its ledger rows, as failed, so retry-failed reaches everyone.
  const stopped = edition.status === "stopped";
  const pageBatches = getConfig(env).fanOutPageBatches ?? BATCHES_PER_PAGE;
  const written = await writeFanOutPage(
    env.DB,
    edition,
    page,
    after,
    stopped ? "failed" : "queued",
    stopped ? edition.error : null,
    now,
    pageBatches,
  );
  const full = written.recipients === BATCH_SIZE * pageBatches;
  const messages: DeliveryMessage[] = stopped
    ? []
    : written.batches.map((batch) => ({ type: "deliver", edition: edition.id, batch }));
  if (full) messages.push({ type: "fan-out", edition: edition.id, page: page + 1, after: written.lastSubscriberId });
  await enqueue(env.DELIVERY_QUEUE, messages);
  if (!full) {
    await completeFanOut(env.DB, edition.id, now);
    await closeEditionIfDelivered(env.DB, edition.id, now);
  }
  const counts = { recipients: written.recipients, batches: written.batches.length, complete: !full };
  log.info("fan-out", { edition: edition.id, page, ...counts, durationMs: Date.now() - started });
}
