/**
 * Helpers for the subscriber tests. Requests go through the Worker's real fetch
 * handler with an execution context that the helper waits on, and the mail queue the
 * request wrote to is then drained through the Worker's real queue handler, so the
 * state it decided and the mail it sent are there when the call returns.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../src/index.ts";
import { listOutbox, type OutboxMessage } from "../src/email/outbox-store.ts";
import { drain, MAIL_QUEUE_NAME, RecordingQueue } from "./helpers/delivery-harness.ts";

export const ORIGIN = "http://example.com";

export async function call(path: string, init: RequestInit = {}, overrides: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}${path}`, init) as Request<unknown, IncomingRequestCfProperties>;
  const testEnv = { ...env, MAIL_QUEUE: new RecordingQueue(), ...overrides };
  const response = await worker.fetch(request, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  if (testEnv.MAIL_QUEUE instanceof RecordingQueue) await drain(testEnv, testEnv.MAIL_QUEUE, { queueName: MAIL_QUEUE_NAME });
  return response;
}

let ipCounter = 0;
/** A fresh client IP per call unless given, so the per-IP limit only bites where a test means it to. */
export function freshIp(): string {
  ipCounter++;
  return `198.51.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

export function subscribeJson(email: string, extra: Record<string, unknown> = {}, ip = freshIp()) {
  return call("/api/subscribe", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ email, ...extra }),
  });
}

export function subscribeForm(fields: [string, string][], ip = freshIp()) {
  return call("/api/subscribe", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": ip },
    body: new URLSearchParams(fields).toString(),
  });
}

export async function mailTo(email: string): Promise<OutboxMessage[]> {
  return (await listOutbox(env.DB, 1000)).filter((message) => message.to === email);
}

/** The first link to `path` (e.g. "/confirm") in a message's text part. */
export function linkIn(message: OutboxMessage | undefined, path: string): string {
  const match = message?.text.match(new RegExp(`${ORIGIN}${path}\\?token=[A-Za-z0-9_.-]+`));
  if (!match) throw new Error(`no ${path} link in ${message ? `"${message.subject}"` : "missing message"}`);
  return match[0].slice(ORIGIN.length);
}

export async function statusOf(email: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT status FROM subscribers WHERE email = ?").bind(email).first<{ status: string }>();
  return row?.status ?? null;
}

/** The digests a subscriber receives, sorted. */
export async function digestsOf(email: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT digest_id FROM subscriptions JOIN subscribers ON subscribers.id = subscriber_id WHERE email = ? ORDER BY digest_id",
  )
    .bind(email)
    .all<{ digest_id: string }>();
  return results.map((row) => row.digest_id);
}

let emailCounter = 0;
export function freshEmail(label: string): string {
  emailCounter++;
  return `${label}-${emailCounter}-${Math.random().toString(36).slice(2, 8)}@example.org`;
}

/** The first link to `path` in an HTML page, as a path with its query. */
export function linkOnPage(page: string, path: string): string {
  const match = page.match(new RegExp(`href="(?:${ORIGIN})?(${path}\\?token=[A-Za-z0-9_.%-]+)"`));
  if (!match?.[1]) throw new Error(`no ${path} link on the page`);
  return match[1];
}

/** The confirmation page's button: a same-origin POST to the link's own URL (opening it confirms nothing). */
export function confirmByButton(path: string, origin = ORIGIN) {
  return call(path, { method: "POST", headers: { Origin: origin } });
}

/** Subscribes and confirms through the real routes; returns the links the confirmed page offers. */
export async function activeSubscriber(email: string, digests?: string[]): Promise<{ unsubscribe: string; preferences: string }> {
  const response = await subscribeJson(email, digests ? { digests } : {});
  if (response.status !== 202) throw new Error(`subscribe answered ${response.status}`);
  const [confirmation] = await mailTo(email);
  const confirmed = await confirmByButton(linkIn(confirmation, "/confirm"));
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  const page = await confirmed.text();
  return { unsubscribe: linkOnPage(page, "/unsubscribe"), preferences: linkOnPage(page, "/preferences") };
}

export function oneClick(path: string) {
  // Exactly what RFC 8058 mail providers send.
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
}
