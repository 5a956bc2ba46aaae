/**
 * The hub's queued work (W3C WebSub, section 5 and 7): verifying intent and delivering
 * content, consumed from the "websub" queue one message after another.
 *
 * - Verification: a GET to the callback with hub.mode, hub.topic, hub.challenge (and
 *   hub.lease_seconds for subscribe); only a 2xx answer whose body is the challenge
 *   verifies. A verified subscribe is stored with its lease, a verified unsubscribe
 *   deletes; a failed verification is logged and stores nothing (it is not retried).
 * - Delivery: a POST of the topic's whole current body with its Content-Type, the hub and
 *   self Link headers and, when the subscriber gave a secret, X-Hub-Signature:
 *   sha256=<HMAC of the body>. A non-2xx answer or a network error is retried with
 *   backoff, then dropped after MAX_DELIVERY_ATTEMPTS.
 * Redirects are not followed: a callback could redirect the hub to an address that
 * callbackProblem (websub-callback.ts) would have refused.
 */
import { log } from "../log.ts";
import { hmacSha256Hex, sha256Hex } from "../text/sha256.ts";
import { readQueueMessage } from "../queue-message.ts";
import type { FeedView } from "./build-feeds.ts";
import { websubMessage, type DeliverMessage, type VerifyMessage } from "./websub-messages.ts";
import { deleteSubscription, getSubscription, rememberTopicBody, saveSubscription } from "./websub-store.ts";
import { parseTopic, topicBody, websubLinkHeader, type FeedTopic } from "./websub-topics.ts";

/** Attempts of one delivery before it is dropped (wrangler.toml max_retries is above it). */
export const MAX_DELIVERY_ATTEMPTS = 6;

/** 30 s, 1 min, 2 min, … up to an hour. */
export const deliveryBackoffSeconds = (attempts: number) => Math.min(30 * 2 ** (attempts - 1), 3600);

/** How long the hub waits for a callback's answer. */
const CALLBACK_TIMEOUT_MS = 10_000;

/** The site a stored (canonical) topic belongs to: the topic URL without its feed path. */
export const siteOfTopic = (topic: string) => topic.replace(/(\/tags\/[^/]+)?\/[^/]+$/, "");

function topicOf(topic: string): { siteUrl: string; feed: FeedTopic } | null {
  const siteUrl = siteOfTopic(topic);
  const feed = parseTopic(topic, siteUrl);
  return "problem" in feed ? null : { siteUrl, feed };
}

function challenge(): string {
  return [...crypto.getRandomValues(new Uint8Array(24))].map((byte) => byte.toString(36).padStart(2, "0")).join("");
}

async function verifyIntent(db: D1Database, message: VerifyMessage, view: FeedView, now: () => Date): Promise<void> {
  const expected = challenge();
  const url = new URL(message.callback);
  url.searchParams.append("hub.mode", message.mode);
  url.searchParams.append("hub.topic", message.topic);
  url.searchParams.append("hub.challenge", expected);
  if (message.mode === "subscribe") url.searchParams.append("hub.lease_seconds", String(message.leaseSeconds));
  const fields = { mode: message.mode, topic: message.topic, callback: message.callback };
  let problem: string | null = null;
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) });
    const body = (await response.text()).trim();
    if (response.status < 200 || response.status > 299) problem = `callback answered ${response.status}`;
    else if (body !== expected) problem = "callback did not echo hub.challenge";
  } catch (error) {
    problem = `callback unreachable: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (problem) {
    log.warn("websub-verification-failed", { ...fields, problem });
    return;
  }
  if (message.mode === "unsubscribe") {
    await deleteSubscription(db, message.topic, message.callback);
  } else {
    const topic = topicOf(message.topic);
    if (!topic) return log.warn("websub-verification-failed", { ...fields, problem: "topic is no longer a feed" });
    await rememberTopicBody(db, message.topic, await sha256Hex(topicBody(topic.siteUrl, topic.feed, view).body));
    await saveSubscription(db, { topic: message.topic, callback: message.callback, secret: message.secret, leaseSeconds: message.leaseSeconds }, now());
  }
  log.info("websub-verified", message.mode === "subscribe" ? { ...fields, leaseSeconds: message.leaseSeconds } : fields);
}

type DeliveryOutcome = { done: true; skipped?: string } | { done: false; problem: string };

async function deliverContent(db: D1Database, message: DeliverMessage, view: FeedView, now: Date): Promise<DeliveryOutcome> {
  const subscription = await getSubscription(db, message.topic, message.callback, now);
  const topic = topicOf(message.topic);
  // Unsubscribed or expired since it was enqueued, or the tag is gone: nothing to deliver.
  if (!subscription) return { done: true, skipped: "no live subscription" };
  if (!topic) return { done: true, skipped: "topic is no longer a feed" };
  const { body, contentType } = topicBody(topic.siteUrl, topic.feed, view);
  const headers: Record<string, string> = { "content-type": contentType, link: websubLinkHeader(topic.siteUrl, topic.feed) };
  if (subscription.secret !== null) headers["x-hub-signature"] = `sha256=${await hmacSha256Hex(subscription.secret, body)}`;
  try {
    const response = await fetch(message.callback, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status <= 299) return { done: true };
    return { done: false, problem: `callback answered ${response.status}` };
  } catch (error) {
    return { done: false, problem: `callback unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The "websub" queue's consumer; `view` is the subscription feeds' (currentFeedView), `now` the system clock unless a test passes another. */
export async function websubQueue(batch: MessageBatch<unknown>, env: Env, view: FeedView, now: () => Date = () => new Date()): Promise<void> {
  for (const message of batch.messages) {
    const work = readQueueMessage(websubMessage, message, "websub-message-dropped");
    if (!work) continue;
    try {
      if (work.type === "verify") {
        await verifyIntent(env.DB, work, view, now);
        message.ack();
        continue;
      }
      const outcome = await deliverContent(env.DB, work, view, now());
      if (outcome.done) {
        message.ack();
        const fields = { topic: work.topic, callback: work.callback, attempts: message.attempts };
        if (outcome.skipped) log.info("websub-delivery-skipped", { ...fields, reason: outcome.skipped });
        else log.info("websub-delivered", fields);
      } else if (message.attempts >= MAX_DELIVERY_ATTEMPTS) {
        message.ack();
        log.error("websub-delivery-dropped", { topic: work.topic, callback: work.callback, attempts: message.attempts, problem: outcome.problem });
      } else {
        log.warn("websub-delivery-failed", { topic: work.topic, callback: work.callback, attempts: message.attempts, problem: outcome.problem });
        message.retry({ delaySeconds: deliveryBackoffSeconds(message.attempts) });
      }
    } catch (error) {
      log.error("websub-message-failed", { type: work.type, topic: work.topic, callback: work.callback, attempts: message.attempts, error });
      message.retry({ delaySeconds: deliveryBackoffSeconds(message.attempts) });
    }
  }
}
