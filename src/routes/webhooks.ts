/** Provider webhooks (Resend bounces and complaints). */
import { createMiddleware } from "hono/factory";
import { factory, type AppEnv } from "../http/app-env.ts";
import { ApiError } from "../http/api-error.ts";
import { readBody } from "../http/read-body.ts";
import { attributeEvents } from "../delivery/ledger-store.ts";
import { applyResendEvent, MAX_EVENT_RECIPIENTS, verifyResendWebhook, type WebhookHeaders } from "../subscribers/resend-events.ts";

export const webhooks = factory.createApp();

type SignedEnv = AppEnv & { Variables: { signed: { secret: string; headers: WebhookHeaders } } };

/** Before the body is read: an unconfigured or unsigned webhook is refused without reading it. */
const signedWebhook = createMiddleware<SignedEnv>(async (c, next) => {
  const secret = c.var.config.resendWebhookSecret;
  if (!secret) {
    throw new ApiError(503, "webhook_not_configured", "RESEND_WEBHOOK_SECRET is not set: webhooks are rejected");
  }
  // Resend signs with Svix; the same scheme is also sent under the Standard Webhooks names.
  const header = (name: string) => c.req.header(`svix-${name}`) ?? c.req.header(`webhook-${name}`);
  const [id, timestamp, signature] = [header("id"), header("timestamp"), header("signature")];
  if (!id || !timestamp || !signature) {
    throw new ApiError(400, "unsigned_webhook", "missing svix-id, svix-timestamp or svix-signature header");
  }
  c.set("signed", { secret, headers: { id, timestamp, signature } });
  await next();
});

/**
 * Resend's events are a few KB; the limit leaves room for long recipient lists. The body
 * must parse as JSON but is kept as text: the signature covers the exact bytes, so the
 * event's schema is checked (applyResendEvent) only once the signature is verified.
 */
const webhookBody = readBody({ json: { maxBytes: 256 * 1024, answer: "json" } });

webhooks.post("/resend", signedWebhook, webhookBody, async (c) => {
  const { secret, headers } = c.var.signed;
  const verified = await verifyResendWebhook(await c.req.text(), headers, secret);
  if (!verified.ok) throw new ApiError(401, "invalid_signature", `webhook rejected: ${verified.reason}`);
  const now = new Date();
  const applied = await applyResendEvent(c.env.DB, headers.id, verified.event, now);
  if (applied.kind === "too-many-recipients") {
    throw new ApiError(
      400,
      "too_many_recipients",
      `the event names ${applied.count} recipients; Resend's "to" holds at most ${MAX_EVENT_RECIPIENTS}, so this is not a Resend event: nothing was applied`,
    );
  }
  // A second round trip only for fresh bounces and complaints: counted against the editions their readers were sent.
  await attributeEvents(c.env.DB, applied.attributable, now);
  return c.json({ received: true, outcome: applied.outcome });
});
