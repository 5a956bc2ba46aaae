/**
 * Queue consumer of "digest-delivery": fan-out steps and provider batches; and of its
 * dead-letter queue, whose messages go through the recovery of their edition. The
 * "websub" queue's batches go to the WebSub hub (src/feeds/websub-hub.ts).
 *
 * Messages' steps (a deliver message's batches, up to BATCHES_PER_MESSAGE) are handled
 * side by side, as many at once as the provider's window calls for (its in-flight target:
 * the limit × the latency; PROVIDER_MAX_IN_FLIGHT may cap it), each message acknowledged
 * as soon as all its steps are settled, so a crash later in the invocation redelivers
 * only unsettled messages (and those are safe to redeliver: see deliver-batch.ts). The
 * window grants each provider request its start. The account's shared window (a Durable
 * Object) is the default; tests pass a Pacer on a fake clock, so pacing costs them no real time.
 */
import { readQueueMessage } from "../queue-message.ts";
import { getConfig, type Config } from "../config.ts";
import { getEdition } from "../digests/editions-store.ts";
import { backoffSeconds, deliverBatch, type DeliveryNext } from "./deliver-batch.ts";
import { fanOutPage } from "./fan-out.ts";
import { DEAD_LETTER_QUEUE, deliveryMessage, type DeliveryMessage } from "./messages.ts";
import type { SendWindow } from "../email/pacer.ts";
import { inFlightPool } from "../email/in-flight-pool.ts";
import { recoverEdition } from "./recovery.ts";
import { currentFeedView } from "../digests/feed-updates.ts";
import { websubQueue } from "../feeds/websub-hub.ts";
import { WEBSUB_QUEUE } from "../feeds/websub-messages.ts";
import { log } from "../log.ts";

/**
 * How long an invocation starts new steps. A consumer invocation may run 15 minutes of wall
 * time; at a low limit shared by many invocations, 100 messages of 10 batches can take
 * longer, so steps not started by then go back to the queue (their messages retried at
 * once; batches already settled are skipped when they return).
 */
export const INVOCATION_BUDGET_MS = 10 * 60_000;

/** One step of a message: a deliver message's batch, or a fan-out page (`batch` null). */
interface Step {
  message: DeliveryMessage;
  batch: number | null;
  attempts: number;
  /** Reports the step's outcome; the message is settled once all its steps reported. */
  report: (next: DeliveryNext) => void;
}

async function handle(env: Env, config: Config, { message, batch, attempts }: Step, window: SendWindow): Promise<DeliveryNext> {
  if (message.type === "deliver") return deliverBatch(env, config, message.edition, batch ?? message.batch, attempts, window);
  const edition = await getEdition(env.DB, message.edition);
  if (edition) await fanOutPage(env, edition, message.page, message.after, window.clock.now());
  else log.error("fan-out-dropped", { edition: message.edition, page: message.page, reason: "unknown edition" });
  return { done: true };
}

const parseMessage = (message: Message<unknown>): DeliveryMessage | null => readQueueMessage(deliveryMessage, message, "message-dropped");

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

/**
 * Settles `message` once its `steps` outcomes are in: acknowledged when every step is
 * done, otherwise retried after the longest wait asked for (its settled batches are
 * skipped when it comes back: the ledger knows them).
 */
function settleAfter(message: Message<unknown>, steps: number): (next: DeliveryNext) => void {
  let remaining = steps;
  let retryAfterSeconds: number | null = null;
  return (next) => {
    if (!next.done) retryAfterSeconds = Math.max(retryAfterSeconds ?? 0, next.retryAfterSeconds);
    if (--remaining > 0) return;
    if (retryAfterSeconds === null) message.ack();
    else message.retry({ delaySeconds: Math.ceil(retryAfterSeconds) });
  };
}

/** Every message's steps, in order: a deliver message's batches, or the message itself. */
function stepsOf(messages: readonly Message<unknown>[]): Step[] {
  return messages.flatMap((message) => {
    const parsed = parseMessage(message);
    if (!parsed) return [];
    const batches = parsed.type === "deliver" ? Array.from({ length: parsed.batches ?? 1 }, (_, i) => parsed.batch + i) : [null];
    const report = settleAfter(message, batches.length);
    return batches.map((batch) => ({ message: parsed, batch, attempts: message.attempts, report }));
  });
}

export async function queue(batch: MessageBatch<unknown>, env: Env, window: SendWindow): Promise<void> {
  if (batch.queue === WEBSUB_QUEUE) return websubQueue(batch, env, currentFeedView(getConfig(env).feedPageSize), () => window.clock.now());
  const config = getConfig(env);
  if (batch.queue === DEAD_LETTER_QUEUE) return recoverDeadLetters(batch, env, config, window.clock.now());
  const deadline = window.clock.now().getTime() + INVOCATION_BUDGET_MS;
  await inFlightPool(stepsOf(batch.messages), window, config.maxInFlight, async (step, stepWindow) => {
    // Late in a long invocation: hand the step back to the queue rather than run into the wall-clock limit.
    if (window.clock.now().getTime() > deadline) return step.report({ done: false, retryAfterSeconds: 0 });
    try {
      step.report(await handle(env, config, step, stepWindow));
    } catch (error) {
      log.error("message-failed", { message: step.message, batch: step.batch, attempts: step.attempts, error });
      step.report({ done: false, retryAfterSeconds: backoffSeconds(step.attempts) });
    }
  });
}
