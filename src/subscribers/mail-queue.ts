/**
 * The transactional mail queue: every subscribe request and every goodbye due is one
 * message, enqueued before the request is answered, so a 202 means the mail is durable:
 * the consumer either gets it accepted by the provider or, once retrying cannot help,
 * records it as failed for the console (src/email/mail-failures-store.ts). Nothing is
 * dropped silently.
 *
 * A reader who confirmed gets a welcome message the same way (src/subscribers/welcome.ts).
 *
 * A subscribe message carries the request only, whatever the address's state: the
 * consumer decides whether a confirmation is due, outside the request's isolate.
 * Messages carry the time of the request and an id, so a redelivered message writes the
 * same state and sends the same email under the same Idempotency-Key.
 */
import * as z from "zod/mini";
import { getConfig } from "../config.ts";
import { MailerError, type Mailer } from "../email/mailer.ts";
import { recordMailFailure, type MailKind } from "../email/mail-failures-store.ts";
import type { SendWindow } from "../email/pacer.ts";
import { log } from "../log.ts";
import { readQueueMessage } from "../queue-message.ts";
import { getSubscriberById } from "./store.ts";
import { recordAndConfirm, sendGoodbye } from "./subscription-flow.ts";
import { sendWelcome } from "./welcome.ts";

const nonEmpty = z.string().check(z.minLength(1));
/** `siteUrl`: the base of the links, as the request resolved it (development follows the request's origin). */
const common = { id: nonEmpty, at: z.iso.datetime(), siteUrl: nonEmpty };

export const mailMessage = z.discriminatedUnion("type", [
  /** A subscribe request as the reader made it. */
  z.object({ type: z.literal("subscribe"), ...common, email: nonEmpty, digests: z.array(nonEmpty), source: nonEmpty }),
  /** A reader confirmed: welcome them (sendWelcome). */
  z.object({ type: z.literal("welcome"), ...common, subscriber: z.int() }),
  /** A reader left every digest by their own hand: tell them, with a way back. */
  z.object({ type: z.literal("goodbye"), ...common, subscriber: z.int() }),
]);

export type MailMessage = z.infer<typeof mailMessage>;

type NewMailMessage = MailMessage extends infer M ? (M extends MailMessage ? Omit<M, "id" | "at" | "siteUrl"> : never) : never;

/** Where the mail queue puts messages it gave up on (wrangler.toml: dead_letter_queue). */
const MAIL_DEAD_LETTER_QUEUE = "transactional-mail-dlq";
/** The queues mailQueue consumes (wrangler.toml). */
export const MAIL_QUEUES: ReadonlySet<string> = new Set(["transactional-mail", MAIL_DEAD_LETTER_QUEUE]);

/** Puts one message on the mail queue; resolves once the queue holds it. */
export async function enqueueMail(queue: Queue, message: NewMailMessage, siteUrl: string, now: Date): Promise<void> {
  await queue.send({ ...message, id: crypto.randomUUID(), at: now.toISOString(), siteUrl });
}

/** Backoff between attempts of one message: 2, 4, 8 … seconds, at most 5 minutes. */
const backoffSeconds = (attempts: number) => Math.min(2 ** attempts, 300);

const kindOf = (message: MailMessage): MailKind => (message.type === "subscribe" ? "confirmation" : message.type);

async function recipientOf(db: D1Database, message: MailMessage): Promise<string> {
  if (message.type === "subscribe") return message.email;
  return (await getSubscriberById(db, message.subscriber))?.email ?? `subscriber ${message.subscriber}`;
}

async function deliver(mailer: Mailer, message: MailMessage): Promise<void> {
  const at = new Date(message.at);
  if (message.type === "subscribe") {
    await recordAndConfirm(mailer, { email: message.email, digests: message.digests, source: message.source }, at, message.id);
    return;
  }
  const subscriber = await getSubscriberById(mailer.db, message.subscriber);
  // Erased since: nobody to write to.
  if (!subscriber) return;
  if (message.type === "welcome") await sendWelcome(mailer, subscriber, at, message.id);
  else await sendGoodbye(mailer, subscriber, message.id);
}

async function fail(mailer: Mailer, message: MailMessage, reason: string): Promise<void> {
  const failure = { kind: kindOf(message), recipient: await recipientOf(mailer.db, message), reason };
  log.error("mail-failed", { id: message.id, ...failure });
  await recordMailFailure(mailer.db, failure, mailer.window.clock.now());
}

const parse = (message: Message<unknown>): MailMessage | null => readQueueMessage(mailMessage, message, "mail-message-dropped");

/**
 * Consumer of the mail queue and its dead-letter queue. Messages are handled side by
 * side (each send waits for its grant in the transactional lane); a refusal is recorded
 * at once, anything else is retried by the queue with backoff, and what the queue gives
 * up on arrives on the dead-letter queue, where it is recorded.
 */
export async function mailQueue(batch: MessageBatch<unknown>, env: Env, window: SendWindow): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = parse(message);
      if (!parsed) return;
      const mailer: Mailer = { db: env.DB, config: getConfig(env, parsed.siteUrl), window };
      try {
        if (batch.queue === MAIL_DEAD_LETTER_QUEUE) await fail(mailer, parsed, "not sent: the provider could not be reached after every retry");
        else await deliver(mailer, parsed);
        message.ack();
      } catch (error) {
        if (error instanceof MailerError && error.kind === "refused") {
          await fail(mailer, parsed, error.reason).then(
            () => message.ack(),
            () => message.retry({ delaySeconds: backoffSeconds(message.attempts) }),
          );
          return;
        }
        log.error("mail-retry", { type: parsed.type, id: parsed.id, attempts: message.attempts, error });
        message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      }
    }),
  );
}
