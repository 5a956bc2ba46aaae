/**
 * Messages on the delivery queue. They carry references only: the ledger is the
 * source of truth for who is in a batch, so a redelivered message re-reads it.
 */
import * as z from "zod/mini";

const nonEmpty = z.string().check(z.minLength(1));
const count = z.int().check(z.nonnegative());

/**
 * Ledger batches one deliver message of the fan-out names: ten requests of 100. Fewer,
 * larger messages keep a consumer invocation's requests going for longer than the
 * provider's latency, so the invocation's last answers (its tail, when slots stand idle)
 * are a small part of it, and a million readers are 1,000 messages.
 */
export const BATCHES_PER_MESSAGE = 10;

export const deliveryMessage = z.discriminatedUnion("type", [
  /**
   * Send ledger batches `batch` … `batch + batches - 1` of the edition (one unless the
   * fan-out grouped them), each as one provider batch.
   */
  z.object({
    type: z.literal("deliver"),
    edition: nonEmpty,
    batch: count,
    batches: z.optional(z.int().check(z.positive(), z.lte(BATCHES_PER_MESSAGE))),
  }),
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
