/**
 * Messages on the "websub" queue: verifying a subscriber's intent, and delivering a
 * topic's new body to one callback. No callback is fetched while a request is answered:
 * POST /websub and the publish check only enqueue these.
 */
import * as z from "zod/mini";

/** The queue's name (wrangler.toml), which the Worker's queue handler dispatches on. */
export const WEBSUB_QUEUE = "websub";

const url = z.string().check(z.minLength(1));

export const websubMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("verify"),
    mode: z.enum(["subscribe", "unsubscribe"]),
    topic: url,
    callback: url,
    leaseSeconds: z.int().check(z.positive()),
    secret: z.nullable(z.string()),
  }),
  z.object({ type: z.literal("deliver"), topic: url, callback: url }),
]);

export type WebSubMessage = z.infer<typeof websubMessage>;
export type VerifyMessage = Extract<WebSubMessage, { type: "verify" }>;
export type DeliverMessage = Extract<WebSubMessage, { type: "deliver" }>;

export async function enqueueWebSub(queue: Queue, messages: WebSubMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 100) {
    await queue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
  }
}
