/**
 * A subscriber's request to the hub (W3C WebSub 5.1), checked before anything is queued:
 * the topic must be one of this site's feeds, the callback one the hub may fetch, the
 * secret at most 200 bytes; the lease is the one asked for, capped at the maximum, or the
 * default. Pure: the route rate-limits, enqueues the verification and answers 202.
 */
import { callbackProblem, MAX_URL_LENGTH } from "./websub-callback.ts";
import type { VerifyMessage } from "./websub-messages.ts";
import { parseTopic, topicUrl } from "./websub-topics.ts";

/** A lease nobody asked a length for: ten days. */
export const DEFAULT_LEASE_SECONDS = 10 * 24 * 3600;
/** The longest lease granted (a longer request gets this one): thirty days. */
export const MAX_LEASE_SECONDS = 30 * 24 * 3600;
/** WebSub 5.1: hub.secret MUST be less than 200 bytes; 200 is accepted, as websub.rocks does. */
export const MAX_SECRET_BYTES = 200;

export interface HubRequest {
  "hub.mode": "subscribe" | "unsubscribe";
  "hub.callback": string;
  "hub.topic": string;
  "hub.lease_seconds"?: number | undefined;
  "hub.secret"?: string | undefined;
}

export type HubRequestCheck = { ok: true; verification: VerifyMessage } | { ok: false; code: string; message: string };

export function checkHubRequest(request: HubRequest, siteUrl: string, environment: "development" | "production"): HubRequestCheck {
  if (request["hub.topic"].length > MAX_URL_LENGTH) return { ok: false, code: "invalid_topic", message: `hub.topic is longer than ${MAX_URL_LENGTH} characters` };
  const feed = parseTopic(request["hub.topic"], siteUrl);
  if ("problem" in feed) return { ok: false, code: "invalid_topic", message: feed.problem };
  const callback = request["hub.callback"];
  const problem = callbackProblem(callback, environment);
  if (problem) return { ok: false, code: "invalid_callback", message: problem };
  const secret = request["hub.secret"];
  if (secret !== undefined && new TextEncoder().encode(secret).byteLength > MAX_SECRET_BYTES) {
    return { ok: false, code: "invalid_secret", message: `hub.secret must be at most ${MAX_SECRET_BYTES} bytes` };
  }
  const asked = request["hub.lease_seconds"];
  return {
    ok: true,
    verification: {
      type: "verify",
      mode: request["hub.mode"],
      // Stored under the canonical spelling, so an unsubscribe finds its subscription.
      topic: topicUrl(siteUrl, feed),
      callback,
      leaseSeconds: asked === undefined ? DEFAULT_LEASE_SECONDS : Math.min(asked, MAX_LEASE_SECONDS),
      secret: secret === undefined || secret === "" ? null : secret,
    },
  };
}
