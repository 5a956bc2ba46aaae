/**
 * POST /websub: the hub's subscription endpoint (W3C WebSub 5.1). A well-formed request
 * for one of our feeds is answered 202 and its intent verified later, by the "websub"
 * queue's consumer (src/feeds/websub-hub.ts): no callback is fetched while the request is
 * answered. Anything else is a 4xx saying what is wrong; requests are rate limited per IP.
 */
import * as z from "zod/mini";
import { HUB_PATH } from "../feeds/publication.ts";
import { enqueueWebSub } from "../feeds/websub-messages.ts";
import { checkHubRequest } from "../feeds/websub-request.ts";
import { factory } from "../http/app-env.ts";
import { ApiError } from "../http/api-error.ts";
import { readBody } from "../http/read-body.ts";
import { apiError, singleField, validate } from "../http/validate.ts";
import { hitRateLimit } from "../subscribers/rate-limit.ts";

export const websub = factory.createApp();

/** Subscription requests per client address and hour. */
const IP_LIMIT = { limit: 30, windowSeconds: 3600 };

const leaseSeconds = z.pipe(
  singleField.check(z.regex(/^[1-9]\d{0,9}$/, "expected a positive whole number of seconds")),
  z.transform(Number),
);

const hubForm = z.object({
  "hub.mode": z.enum(["subscribe", "unsubscribe"], { error: 'expected "subscribe" or "unsubscribe"' }),
  "hub.callback": singleField,
  "hub.topic": singleField,
  "hub.lease_seconds": z.optional(leaseSeconds),
  "hub.secret": z.optional(singleField),
});

websub.post(HUB_PATH, readBody({ form: { maxBytes: 8 * 1024, answer: "json" } }), validate("form", hubForm, apiError("invalid_request")), async (c) => {
  const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
  const limited = await hitRateLimit(c.env.DB, { key: `websub:ip:${ip}`, ...IP_LIMIT }, new Date());
  if (!limited.ok) {
    const retryAfter = String(limited.retryAfterSeconds);
    throw new ApiError(429, "rate_limited", `too many hub requests: retry in ${retryAfter} seconds`, { "Retry-After": retryAfter });
  }
  const config = c.var.config;
  const checked = checkHubRequest(c.req.valid("form"), config.siteUrl, config.environment);
  if (!checked.ok) throw new ApiError(400, checked.code, checked.message);
  await enqueueWebSub(c.env.WEBSUB_QUEUE, [checked.verification]);
  return c.json({ message: `accepted: the hub will verify this ${checked.verification.mode} request with a GET to hub.callback` }, 202);
});
