/**
 * Queue consumer of "digest-delivery": fan-out steps and provider batches.
 *
 * Messages are handled one after another, each acknowledged as soon as it is
 * settled, so a crash later in the invocation redelivers only unsettled messages
 * (and those are safe to redeliver: see deliver-batch.ts). Sequential sending is
 * also what lets the pacer hold each request to the provider's announced window.
 */
import { z } from "zod";
import { getConfig, type Config } from "../config.ts";
import { getEdition } from "../digests/editions-store.ts";
import { backoffSeconds, deliverBatch, type DeliveryNext } from "./deliver-batch.ts";
import { fanOutPage } from "./fan-out.ts";
import { deliveryMessage, type DeliveryMessage } from "./messages.ts";

async function handle(env: Env, config: Config, message: DeliveryMessage, attempts: number): Promise<DeliveryNext> {
  if (message.type === "deliver") return deliverBatch(env, config, message.edition, message.batch, attempts);
  const edition = await getEdition(env.DB, message.edition);
  if (edition) await fanOutPage(env, edition, message.page, message.after, new Date());
  else console.error(`delivery: fan-out for unknown edition ${message.edition} dropped`);
  return { done: true };
}

export async function queue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const config = getConfig(env);
  for (const message of batch.messages) {
    const parsed = deliveryMessage.safeParse(message.body);
    if (!parsed.success) {
      console.error(`delivery: malformed message ${message.id} dropped: ${z.prettifyError(parsed.error)}`);
      message.ack();
      continue;
    }
    try {
      const next = await handle(env, config, parsed.data, message.attempts);
      if (next.done) message.ack();
      else message.retry({ delaySeconds: Math.ceil(next.retryAfterSeconds) });
    } catch (error) {
      console.error(`delivery: ${JSON.stringify(parsed.data)} attempt ${message.attempts} failed:`, error);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
