/**
 * The one request every email goes out in: Resend's POST /emails/batch (≤ 100 emails; a
 * confirmation or a test copy is a batch of one), started when the provider's window
 * grants it, cut off after the configured timeout, and classified into what the sender
 * must do next.
 *
 * The SDK is enough here: every response it returns (success or error) carries the
 * HTTP headers, so retry-after and ratelimit-* are read from `headers` without a
 * custom fetch, and it passes an AbortSignal through to fetch.
 */
import type { ErrorResponse, Resend, Response as SdkResponse } from "resend";
import type { Config } from "../config.ts";
import { failureKind, type FailureKind } from "./failure-kind.ts";
import type { ProviderEmail } from "./outgoing-email.ts";
import { readRateLimit, type Lane, type SendWindow } from "./pacer.ts";

export type BatchOutcome =
  /** The provider took the batch; per email either its id or why that email was refused, and whether sending it again can help. */
  | { kind: "accepted"; results: ({ ok: true; id: string } | { ok: false; reason: string; failure: FailureKind })[] }
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
  /** 5xx, network error, a timeout, or the same key still in flight: retry the same batch, same key, with backoff. */
  | { kind: "transient"; reason: string }
  /**
   * Any other 4xx: the whole batch was refused and retrying it unchanged cannot help;
   * `failure` says whether the refusal was about the address (permanent) or something an
   * operator can fix before retrying (temporary).
   */
  | { kind: "rejected"; reason: string; failure: FailureKind };

/** Used when a 429 carries no retry-after: a wait, not a rate. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * The Resend SDK, loaded on first use: feed and page requests never need it, and a cold
 * isolate that does not evaluate it (with its two dozen resource classes) starts sooner.
 */
export const loadResend = async (): Promise<typeof Resend> => (await import("resend")).Resend;

/** The Resend SDK client for the configured key and optional base URL (staging or a test double). */
export async function resendClient(resend: NonNullable<Config["resend"]>): Promise<Resend> {
  const ResendSdk = await loadResend();
  return new ResendSdk(resend.apiKey, resend.baseUrl ? { baseUrl: resend.baseUrl } : {});
}

/** The shape Resend's API takes for one email (also each entry of a batch): its content inline, or a stored template's. */
function toResendEmail(email: ProviderEmail) {
  const content = "template" in email ? { template: email.template } : { html: email.html, text: email.text };
  return {
    from: email.from,
    to: email.to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    ...content,
    ...(email.headers ? { headers: email.headers } : {}),
    ...(email.tags ? { tags: email.tags } : {}),
  };
}

export interface ProviderRequest {
  /** The same key on every retry: the provider answers a repeat from its record. */
  idempotencyKey: string;
  lane: Lane;
  window: SendWindow;
  timeoutMs: number;
}

/** What a refused or unanswered request means for the sender (every outcome but "accepted"). */
export type Refusal = Exclude<BatchOutcome, { kind: "accepted" }>;

/**
 * One request through the window: waits for its grant, makes the call with the timeout,
 * reports the answer (its rate-limit headers and latency) to the window. Null: timed out.
 */
export async function windowedCall<T>(
  { lane, window, timeoutMs }: Omit<ProviderRequest, "idempotencyKey">,
  call: (signal: AbortSignal) => Promise<SdkResponse<T>>,
): Promise<SdkResponse<T> | null> {
  const { grant } = await window.acquire(lane);
  const sentAt = window.clock.now().getTime();
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await call(signal);
  await window.settle(grant, signal.aborted ? null : response.headers, window.clock.now().getTime() - sentAt);
  return signal.aborted ? null : response;
}

export const timedOut = (timeoutMs: number): Refusal => ({ kind: "transient", reason: `no answer within ${timeoutMs / 1000} s (timed out)` });

/** Sorts a provider error into what the sender does next. */
export function refusal(error: ErrorResponse, headers: Record<string, string> | null, now: number): Refusal {
  const { name, message, statusCode } = error;
  const reason = `${name}${statusCode ? ` (${statusCode})` : ""}: ${message}`;
  if (name === "daily_quota_exceeded" || name === "monthly_quota_exceeded") return { kind: "quota-exceeded", reason };
  if (statusCode === 429 || name === "rate_limit_exceeded") {
    return { kind: "rate-limited", retryAfterSeconds: readRateLimit(headers, now).retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS };
  }
  if (name === "invalid_idempotent_request") return { kind: "already-accepted", reason };
  if (statusCode === null || statusCode >= 500 || name === "concurrent_idempotent_requests") {
    return { kind: "transient", reason };
  }
  return { kind: "rejected", reason, failure: failureKind({ name, statusCode, message }) };
}

/** One batch request: waits for the window's grant, sends, reports the answer to the window. */
export async function sendProviderBatch(
  resend: NonNullable<Config["resend"]>,
  emails: ProviderEmail[],
  request: ProviderRequest,
): Promise<BatchOutcome> {
  const payload = emails.map(toResendEmail);
  const client = await resendClient(resend);
  const { idempotencyKey, timeoutMs } = request;
  const response = await windowedCall(request, (signal) => client.batch.send(payload, { idempotencyKey, batchValidation: "permissive", signal }));
  if (response === null) return timedOut(timeoutMs);
  if (response.error) return refusal(response.error, response.headers, request.window.clock.now().getTime());
  const refused = new Map(response.data.errors?.map((e) => [e.index, e.message]) ?? []);
  const ids = response.data.data.map((d) => d.id);
  let next = 0;
  return {
    kind: "accepted",
    results: emails.map((_, index) => {
      const reason = refused.get(index);
      if (reason !== undefined) return { ok: false, reason, failure: failureKind({ message: reason }) };
      const id = ids[next++];
      return id ? { ok: true, id } : { ok: false, reason: "the provider returned no id for this email", failure: "temporary" };
    }),
  };
}
