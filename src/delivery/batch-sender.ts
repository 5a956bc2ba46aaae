/**
 * Sends one batch (≤ 100 emails) through Resend's POST /emails/batch and classifies
 * the answer into what the queue consumer must do next.
 *
 * The SDK is enough here: every response it returns (success or error) carries the
 * HTTP headers, so retry-after and ratelimit-* are read from `headers` without a
 * custom fetch.
 */
import type { Config } from "../config.ts";
import { resendClient, toResendEmail } from "../email/mailer.ts";
import type { OutgoingEmail } from "../email/outgoing-email.ts";
import { readRateLimit, type Pacer } from "./pacer.ts";

export type BatchOutcome =
  /** The provider took the batch; per email either its id or why that address was refused. */
  | { kind: "accepted"; results: ({ ok: true; id: string } | { ok: false; reason: string })[] }
  /** 429: nothing was sent; try again after the provider's retry-after. */
  | { kind: "rate-limited"; retryAfterSeconds: number }
  /** Daily or monthly quota used up: stop the edition. */
  | { kind: "quota-exceeded"; reason: string }
  /**
   * 409 invalid_idempotent_request: the key was already used with another payload, so
   * the provider took this batch before (the payload changed since, e.g. an address was
   * edited). Sending it again under a new key would mail everyone twice.
   */
  | { kind: "already-accepted"; reason: string }
  /** 5xx, network error, or the same key still in flight: retry the same batch with backoff. */
  | { kind: "transient"; reason: string }
  /** Any other 4xx: the whole batch was refused and retrying it unchanged cannot help. */
  | { kind: "rejected"; reason: string };

/** Used when a 429 carries no retry-after: a wait, not a rate. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export async function sendProviderBatch(
  resend: NonNullable<Config["resend"]>,
  emails: OutgoingEmail[],
  idempotencyKey: string,
  pacer: Pacer,
): Promise<BatchOutcome> {
  const payload = emails.map(toResendEmail);
  const client = await resendClient(resend);
  const response = await pacer.run(() => client.batch.send(payload, { idempotencyKey, batchValidation: "permissive" }));
  const limit = readRateLimit(response.headers, pacer.clock.now().getTime());

  if (response.data) {
    const refused = new Map(response.data.errors?.map((e) => [e.index, e.message]) ?? []);
    const ids = response.data.data.map((d) => d.id);
    let next = 0;
    return {
      kind: "accepted",
      results: emails.map((_, index) => {
        const reason = refused.get(index);
        if (reason !== undefined) return { ok: false, reason };
        const id = ids[next++];
        return id ? { ok: true, id } : { ok: false, reason: "the provider returned no id for this email" };
      }),
    };
  }

  const { name, message, statusCode } = response.error;
  const reason = `${name}${statusCode ? ` (${statusCode})` : ""}: ${message}`;
  if (name === "daily_quota_exceeded" || name === "monthly_quota_exceeded") return { kind: "quota-exceeded", reason };
  if (statusCode === 429 || name === "rate_limit_exceeded") {
    return { kind: "rate-limited", retryAfterSeconds: limit.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS };
  }
  if (name === "invalid_idempotent_request") return { kind: "already-accepted", reason };
  if (statusCode === null || statusCode >= 500 || name === "concurrent_idempotent_requests") {
    return { kind: "transient", reason };
  }
  return { kind: "rejected", reason };
}
