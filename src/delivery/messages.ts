/**
 * Messages on the delivery queue. They carry references only: the ledger is the
 * source of truth for who is in a batch, so a redelivered message re-reads it.
 */
import * as z from "zod/mini";

const nonEmpty = z.string().check(z.minLength(1));
const count = z.int().check(z.nonnegative());

export const deliveryMessage = z.discriminatedUnion("type", [
  /** Send ledger batch `batch` of the edition as one provider batch. */
  z.object({ type: z.literal("deliver"), edition: nonEmpty, batch: count }),
  /** Write fan-out page `page` (recipients with ids after `after`) and enqueue its batches. */
  z.object({
    type: z.literal("fan-out"),
    edition: nonEmpty,
    page: count,
    after: count,
  }),
]);

export type DeliveryMessage = z.infer<typeof deliveryMessage>;

/** Where the delivery queue puts messages it gave up on (wrangler.toml: dead_letter_queue). */
export const DEAD_LETTER_QUEUE = "digest-delivery-dlq";

/** Enqueues messages, at most 100 per sendBatch call (the Queues limit). */
export async function enqueue(queue: Queue, messages: DeliveryMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 100) {
    await queue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
  }
}
