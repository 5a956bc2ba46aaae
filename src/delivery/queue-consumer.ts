/**
 * Queue consumer of "digest-delivery": fan-out steps and provider batches; and of its
 * dead-letter queue, whose messages go through the recovery of their edition. The
 * "websub" queue's batches go to the WebSub hub (src/feeds/websub-hub.ts).
 *
 * Messages are handled one after another, each acknowledged as soon as it is
 * settled, so a crash later in the invocation redelivers only unsettled messages
 * (and those are safe to redeliver: see deliver-batch.ts). Sequential sending is
 * also what lets the pacer hold each request to the provider's announced window.
 * The isolate's pacer and its system clock are the default; tests pass a pacer on a
 * fake clock, so pacing costs them no real time.
 */
import { describeInvalidFields } from "../zod-messages.ts";
import { getConfig, type Config } from "../config.ts";
import { getEdition } from "../digests/editions-store.ts";
import { backoffSeconds, deliverBatch, type DeliveryNext } from "./deliver-batch.ts";
import { fanOutPage } from "./fan-out.ts";
import { DEAD_LETTER_QUEUE, deliveryMessage, type DeliveryMessage } from "./messages.ts";
import { providerPacer, type Pacer } from "./pacer.ts";
import { recoverEdition } from "./recovery.ts";
import { currentFeedView } from "../digests/feed-updates.ts";
import { websubQueue } from "../feeds/websub-hub.ts";
import { WEBSUB_QUEUE } from "../feeds/websub-messages.ts";
import { log } from "../log.ts";

async function handle(env: Env, config: Config, message: DeliveryMessage, attempts: number, pacer: Pacer): Promise<DeliveryNext> {
  if (message.type === "deliver") return deliverBatch(env, config, message.edition, message.batch, attempts, pacer);
  const edition = await getEdition(env.DB, message.edition);
  if (edition) await fanOutPage(env, edition, message.page, message.after, pacer.clock.now());
  else log.error("fan-out-dropped", { edition: message.edition, page: message.page, reason: "unknown edition" });
  return { done: true };
}

function parseMessage(message: Message<unknown>): DeliveryMessage | null {
  const parsed = deliveryMessage.safeParse(message.body);
  if (parsed.success) return parsed.data;
  log.error("message-dropped", { message: message.id, problem: describeInvalidFields(parsed.error) });
  message.ack();
  return null;
}

/**
 * A dead-lettered message is not retried as it is: its edition is recovered once per
 * batch of messages (every unsettled batch re-enqueued under its original key, stale
 * claims failed), which covers the dead message and any other the edition lost.
 */
async function recoverDeadLetters(batch: MessageBatch<unknown>, env: Env, config: Config, now: Date): Promise<void> {
  const byEdition = new Map<string, Message<unknown>[]>();
  for (const message of batch.messages) {
    const parsed = parseMessage(message);
    if (parsed) byEdition.set(parsed.edition, [...(byEdition.get(parsed.edition) ?? []), message]);
  }
  for (const [editionId, messages] of byEdition) {
    try {
      const edition = await getEdition(env.DB, editionId);
      if (edition) await recoverEdition(env, edition, config.siteUrl, "dead-letter", now);
      else log.error("dead-letter-dropped", { edition: editionId, reason: "unknown edition" });
      for (const message of messages) message.ack();
    } catch (error) {
      log.error("dead-letter-recovery-failed", { edition: editionId, error });
      for (const message of messages) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

export async function queue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext, pacer: Pacer = providerPacer): Promise<void> {
  if (batch.queue === WEBSUB_QUEUE) return websubQueue(batch, env, currentFeedView(getConfig(env).feedPageSize), () => pacer.clock.now());
  const config = getConfig(env);
  if (batch.queue === DEAD_LETTER_QUEUE) return recoverDeadLetters(batch, env, config, pacer.clock.now());
  for (const message of batch.messages) {
    const parsed = parseMessage(message);
    if (!parsed) continue;
    try {
      const next = await handle(env, config, parsed, message.attempts, pacer);
      if (next.done) message.ack();
      else message.retry({ delaySeconds: Math.ceil(next.retryAfterSeconds) });
    } catch (error) {
      log.error("message-failed", { message: parsed, attempts: message.attempts, error });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
