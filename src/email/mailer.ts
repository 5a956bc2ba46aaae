/**
 * Transactional mail (confirmations, goodbyes, test copies): Resend when RESEND_API_KEY
 * is set, otherwise the local outbox table (viewable at /outbox in development).
 *
 * Through the provider it takes the same path as digest batches (provider-batch.ts: the
 * window's grant, the timeout), in the transactional lane so it goes ahead of waiting
 * digest batches. 429s, 5xx answers and timeouts are retried here, under the same
 * Idempotency-Key, so a confirmation never waits for a queue's retry delay; a refusal
 * is final.
 */
import type { Config } from "../config.ts";
import { insertOutboxMessages } from "./outbox-store.ts";
import type { OutgoingEmail } from "./outgoing-email.ts";
import type { SendWindow } from "./pacer.ts";
import { sendProviderBatch } from "./provider-batch.ts";

export class MailerError extends Error {
  constructor(
    /** "refused": the provider said no (retrying cannot help); "unavailable": no answer or only errors after every attempt. */
    readonly kind: "refused" | "unavailable",
    /** The provider's own words, or what went wrong. */
    readonly reason: string,
  ) {
    super(`${kind === "refused" ? "the provider refused the email" : "the provider could not be reached"}: ${reason}`);
    this.name = "MailerError";
  }
}

/** What sending transactional mail needs: where the outbox is, the settings, and the provider's window. */
export interface Mailer {
  db: D1Database;
  config: Config;
  window: SendWindow;
}

/** Attempts in place before the caller (the mail queue) takes over. */
const ATTEMPTS = 4;
/** Backoff after a 5xx or a timeout: 0.5, 1, 2 s (a 429 waits as long as the provider says). */
const backoffMs = (attempt: number) => 500 * 2 ** (attempt - 1);

/**
 * Sends one email, with the configured Reply-To unless it names one. `idempotencyKey`
 * must be the same for every try of the same email (the outbox skips a key it has).
 */
export async function sendEmail({ db, config, window }: Mailer, outgoing: OutgoingEmail, idempotencyKey: string): Promise<void> {
  const email = config.replyTo && !outgoing.replyTo ? { ...outgoing, replyTo: config.replyTo } : outgoing;
  if (!config.resend) {
    await insertOutboxMessages(db, [{ email, idempotencyKey }], window.clock.now());
    return;
  }
  let lastProblem = "";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const request = { idempotencyKey, lane: "transactional" as const, window, timeoutMs: config.providerTimeoutMs };
    const outcome = await sendProviderBatch(config.resend, [email], request);
    switch (outcome.kind) {
      case "accepted": {
        const [result] = outcome.results;
        if (result?.ok) return;
        throw new MailerError("refused", result?.reason ?? "no result for the email");
      }
      case "already-accepted":
        return;
      case "rejected":
      case "quota-exceeded":
        throw new MailerError("refused", outcome.reason);
      case "rate-limited":
        // The window now holds every request for the provider's retry-after.
        lastProblem = "rate limited (429)";
        break;
      case "transient":
        lastProblem = outcome.reason;
        if (attempt < ATTEMPTS) await window.clock.sleep(backoffMs(attempt));
        break;
    }
  }
  throw new MailerError("unavailable", `gave up after ${ATTEMPTS} attempts: ${lastProblem}`);
}
