/**
 * Bounces and complaints reported by Resend's webhook. The signature is checked with
 * the Resend SDK (Standard Webhooks / Svix scheme: HMAC-SHA-256 over
 * `${id}.${timestamp}.${body}`, timestamps older or newer than 5 minutes rejected).
 */
import type { Resend } from "resend";
import * as z from "zod/mini";
import { loadResend } from "../email/provider-batch.ts";
import { canonicalEmail } from "./email-address.ts";
import { applyProviderEvents, type ProviderEvent } from "./store.ts";

export interface WebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

let verifier: Promise<Resend["webhooks"]> | undefined;

/** Made once per isolate, on the first webhook (the SDK is loaded lazily, see loadResend). */
function webhookVerifier(): Promise<Resend["webhooks"]> {
  // The SDK constructor insists on an API key even though verify() never calls the API.
  verifier ??= loadResend().then((ResendSdk) => new ResendSdk("re_webhook_verification_only").webhooks);
  return verifier;
}

/** The parsed event, or the verifier's reason (bad signature, stale or future timestamp). */
export async function verifyResendWebhook(
  payload: string,
  headers: WebhookHeaders,
  webhookSecret: string,
): Promise<{ ok: true; event: unknown } | { ok: false; reason: string }> {
  const webhooks = await webhookVerifier();
  try {
    return { ok: true, event: webhooks.verify({ payload, headers, webhookSecret }) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

// Only the fields acted upon; everything else in the payload is ignored.
const recipients = z.array(z.string()).check(z.minLength(1));
const resendEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("email.bounced"),
    data: z.object({ to: recipients, bounce: z.object({ type: z.string(), subType: z.optional(z.string()) }) }),
  }),
  z.object({ type: z.literal("email.complained"), data: z.object({ to: recipients }) }),
]);

export type EventOutcome = "suppressed" | "recorded" | "duplicate" | "unknown-recipient" | "ignored";

/** Resend's `to` holds at most 50 addresses; an event naming more is not Resend's. */
export const MAX_EVENT_RECIPIENTS = 50;

export type AppliedResendEvent =
  | {
      kind: "applied";
      outcome: EventOutcome;
      /** Fresh permanent bounces and complaints of known subscribers, for attributing them to editions. */
      attributable: { subscriberId: number; type: "bounced" | "complained" }[];
    }
  | { kind: "too-many-recipients"; count: number };

/**
 * Applies one verified event in one D1 round trip, whatever the number of recipients. A
 * permanent bounce ("Permanent", as Resend passes on from SES) or a complaint suppresses
 * the recipient; a transient bounce is only logged. `eventId` (the webhook id) makes
 * replays change nothing. Event types acted on by nobody (email.delivered, email.opened,
 * …) are ignored and write nothing.
 */
export async function applyResendEvent(db: D1Database, eventId: string, payload: unknown, now: Date): Promise<AppliedResendEvent> {
  const parsed = resendEvent.safeParse(payload);
  if (!parsed.success) return { kind: "applied", outcome: "ignored", attributable: [] };
  const event = parsed.data;
  if (event.data.to.length > MAX_EVENT_RECIPIENTS) return { kind: "too-many-recipients", count: event.data.to.length };
  const bounce = event.type === "email.bounced" ? event.data.bounce : null;
  const detail = bounce ? [bounce.type, bounce.subType].filter(Boolean).join("/") : null;
  const suppress = !bounce || bounce.type === "Permanent";
  const type = bounce ? "bounced" : "complained";
  // One provider event can name several recipients; each gets its own idempotency key.
  const events: ProviderEvent[] = event.data.to.map((recipient, index) => ({
    email: canonicalEmail(recipient),
    type,
    detail,
    externalId: index === 0 ? eventId : `${eventId}#${index}`,
    suppress,
  }));
  const applied = await applyProviderEvents(db, events, now);
  const outcomes: EventOutcome[] = applied.map((result) => {
    if (!result.fresh) return "duplicate";
    if (!suppress) return "recorded";
    return result.subscriberId === null ? "unknown-recipient" : "suppressed";
  });
  return {
    kind: "applied",
    outcome: outcomes.find((outcome) => outcome === "suppressed") ?? outcomes[0] ?? "ignored",
    attributable: suppress
      ? applied.flatMap((result) => (result.fresh && result.subscriberId !== null ? [{ subscriberId: result.subscriberId, type }] : []))
      : [],
  };
}
