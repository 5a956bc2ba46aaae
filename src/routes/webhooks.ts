/** Provider webhooks (Resend bounces and complaints). */
import { factory } from "../http/app-env.ts";
import { ApiError } from "../http/api-error.ts";
import { parseJsonText, readTextBody, type BodyRules } from "../http/read-body.ts";
import { applyResendEvent, verifyResendWebhook } from "../subscribers/resend-events.ts";

export const webhooks = factory.createApp();

/** Resend's events are a few KB; the limit leaves room for long recipient lists. */
const webhookBody: BodyRules = { maxBytes: 256 * 1024, answer: "json" };

webhooks.post("/resend", async (c) => {
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
  // The signature covers the exact bytes, so the body is kept as text; it must be JSON all the same.
  const payload = await readTextBody(c, "application/json", webhookBody);
  parseJsonText(payload, webhookBody);
  const verified = verifyResendWebhook(payload, { id, timestamp, signature }, secret);
  if (!verified.ok) throw new ApiError(401, "invalid_signature", `webhook rejected: ${verified.reason}`);
  const outcome = await applyResendEvent(c.env.DB, id, verified.event, new Date());
  return c.json({ received: true, outcome });
});
