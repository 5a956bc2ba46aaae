/** Provider webhooks (Resend bounces and complaints). */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app.ts";
import { getConfig } from "../config.ts";
import { ApiError } from "../http/api-error.ts";
import { applyResendEvent, verifyResendWebhook } from "../subscribers/resend-events.ts";

export const webhooks = new Hono<AppEnv>();

webhooks.post(
  "/resend",
  bodyLimit({
    maxSize: 256 * 1024,
    onError: (c) => c.json(new ApiError(413, "payload_too_large", "webhook body is larger than 256 KB"), 413),
  }),
  async (c) => {
    const secret = getConfig(c.env).resendWebhookSecret;
    if (!secret) {
      throw new ApiError(503, "webhook_not_configured", "RESEND_WEBHOOK_SECRET is not set: webhooks are rejected");
    }
    // Resend signs with Svix; the same scheme is also sent under the Standard Webhooks names.
    const header = (name: string) => c.req.header(`svix-${name}`) ?? c.req.header(`webhook-${name}`);
    const [id, timestamp, signature] = [header("id"), header("timestamp"), header("signature")];
    if (!id || !timestamp || !signature) {
      throw new ApiError(400, "unsigned_webhook", "missing svix-id, svix-timestamp or svix-signature header");
    }
    const verified = verifyResendWebhook(await c.req.text(), { id, timestamp, signature }, secret);
    if (!verified.ok) throw new ApiError(401, "invalid_signature", `webhook rejected: ${verified.reason}`);
    const outcome = await applyResendEvent(c.env.DB, id, verified.event, new Date());
    return c.json({ received: true, outcome });
  },
);
