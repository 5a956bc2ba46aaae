/**
 * Reading a queue message's body at the consumer's edge. A body the schema refuses will
 * never be read, however often it comes back, so it is logged and acknowledged rather
 * than retried into the dead-letter queue.
 */
import type * as z from "zod/mini";
import { describeInvalidFields } from "./zod-messages.ts";
import { log } from "./log.ts";

/** The body as `schema` reads it, or null (logged as `event`, and acknowledged). */
export function readQueueMessage<T>(schema: z.ZodMiniType<T>, message: Message<unknown>, event: string): T | null {
  const parsed = schema.safeParse(message.body);
  if (parsed.success) return parsed.data;
  log.error(event, { message: message.id, problem: describeInvalidFields(parsed.error) });
  message.ack();
  return null;
}
