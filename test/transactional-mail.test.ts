/**
 * Transactional mail through the one outbound path: a subscribe is one message on the
 * mail queue; its consumer sends the confirmation through the provider's window in the
 * transactional lane, retrying 429s, 5xx answers and a provider that hangs under the
 * same Idempotency-Key; what cannot be sent is recorded and shown on the console; a
 * test copy the provider refuses is a 502 naming its reason. A fake Resend and a fake
 * clock (backoff and holds cost no real time; the request timeout is a real 200 ms).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { selectItems } from "../src/digests/select.ts";
import { recentMailFailures } from "../src/email/mail-failures-store.ts";
import { Pacer } from "../src/email/pacer.ts";
import worker from "../src/index.ts";
import { FakeClock } from "./helpers/fake-clock.ts";
import { FakeResend } from "./helpers/fake-resend.ts";
import { deliveryEnv, drain, invokeQueue, MAIL_QUEUE_NAME, RecordingQueue, resetDeliveryTables } from "./helpers/delivery-harness.ts";

const ORIGIN = "https://news.example.com";
const digest = digests.find((d) => selectItems(d, items, null).length > 0)!;

let clock: FakeClock;
let pacer: Pacer;
let fake: FakeResend;
let mailQueue: RecordingQueue;
let testEnv: Env;
let ip = 0;

beforeEach(async () => {
  clock = new FakeClock(Date.parse("2026-12-01T08:00:00Z"));
  pacer = new Pacer(clock);
  fake = new FakeResend(1000, clock.nowMs);
  vi.stubGlobal("fetch", fake.fetch);
  mailQueue = new RecordingQueue();
  testEnv = deliveryEnv(new RecordingQueue(), { resendBaseUrl: fake.baseUrl, mailQueue, vars: { PROVIDER_TIMEOUT_SECONDS: "0.2" } });
  await resetDeliveryTables();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${ORIGIN}${path}`, init) as Request<unknown, IncomingRequestCfProperties>, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function subscribe(email: string): Promise<void> {
  const response = await request("/api/subscribe", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `203.0.113.${++ip}` },
    body: JSON.stringify({ email }),
  });
  expect(response.status).toBe(202);
}

const drainMail = () => drain(testEnv, mailQueue, { queueName: MAIL_QUEUE_NAME, pacer });

describe("confirmations", () => {
  it("answered 429, then 500, then not at all: retried under one Idempotency-Key until the provider accepts, sent once", async () => {
    fake.failNext({ kind: "rate-limited", retryAfterSeconds: 2 }, { kind: "server-error" }, { kind: "hang" });
    await subscribe("ada@example.com");
    expect(fake.requests).toHaveLength(0);
    await drainMail();

    expect(fake.requests.map((r) => r.status)).toEqual([429, 500, "network-error", 200]);
    const keys = new Set(fake.requests.map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^confirmation\//);
    // The retry after the 429 waited for its retry-after.
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(2000);
    expect(fake.sentTo("ada@example.com")).toHaveLength(1);
    expect(fake.sentTo("ada@example.com")[0]!.tags).toEqual([{ name: "category", value: "confirmation" }]);
    expect(mailQueue.retries).toHaveLength(0);
    expect(await recentMailFailures(env.DB, 10)).toEqual([]);
  });

  it("a redelivered subscribe message sends the same email under the same key: the provider answers from its record", async () => {
    await subscribe("bo@example.com");
    await drainMail();
    mailQueue.redeliverAll();
    await drainMail();
    expect(fake.requests.map((r) => r.replayed)).toEqual([false, true]);
    expect(fake.sentTo("bo@example.com")).toHaveLength(1);
  });

  it("refused by the provider: recorded at once with the provider's reason, not retried", async () => {
    fake.refusedAddresses.set("chen@example.com", "Invalid `to` field: chen@example.com");
    await subscribe("chen@example.com");
    await drainMail();
    expect(fake.requests).toHaveLength(1);
    expect(mailQueue.retries).toHaveLength(0);
    expect(await recentMailFailures(env.DB, 10)).toEqual([
      expect.objectContaining({ kind: "confirmation", recipient: "chen@example.com", reason: "Invalid `to` field: chen@example.com" }),
    ]);
  });

  it("a provider down through every retry: the queue retries, and what it gives up on is shown failed on the console", async () => {
    fake.failNext(...Array.from({ length: 4 }, () => ({ kind: "server-error" as const })));
    await subscribe("dee@example.com");
    await invokeQueue(testEnv, mailQueue, { queueName: MAIL_QUEUE_NAME, pacer });
    // Four attempts in place, then back to the queue with backoff.
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(mailQueue.retries).toEqual([expect.objectContaining({ delaySeconds: 2 })]);
    expect(await recentMailFailures(env.DB, 10)).toEqual([]);

    // The queue's last retry failed too: the message reaches the dead-letter queue.
    const deadLetters = new RecordingQueue();
    await deadLetters.send(mailQueue.pending[0]!.body);
    await drain(testEnv, deadLetters, { queueName: "transactional-mail-dlq", pacer });
    expect(await recentMailFailures(env.DB, 10)).toEqual([expect.objectContaining({ kind: "confirmation", recipient: "dee@example.com" })]);

    const cookie = await login();
    const dashboard = await (await request("/admin", { headers: { Cookie: cookie } })).text();
    expect(dashboard).toContain("事务邮件发送失败");
    expect(dashboard).toContain("dee@example.com");
    expect(dashboard).toContain("确认邮件");
  });
});

async function login(): Promise<string> {
  const response = await request("/admin/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "CF-Connecting-IP": `198.51.100.${++ip}` },
    body: new URLSearchParams({ token: "test-admin-token-of-at-least-32-bytes" }).toString(),
  });
  expect(response.status).toBe(303);
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

describe("test copies", () => {
  const refused = "Invalid `to` field: tester@example.com";

  it("refused by the provider: the API answers 502 naming the provider's reason", async () => {
    fake.refusedAddresses.set("tester@example.com", refused);
    const response = await request("/api/sends", {
      method: "POST",
      headers: { Authorization: "Bearer test-admin-token-of-at-least-32-bytes", "Content-Type": "application/json" },
      body: JSON.stringify({ digest: digest.id, testTo: "tester@example.com" }),
    });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("provider_refused");
    expect(body.error.message).toContain(refused);
  });

  it("refused by the provider: the console answers 502 saying so in Chinese, with the provider's words", async () => {
    fake.refusedAddresses.set("tester@example.com", refused);
    const cookie = await login();
    const response = await request(`/admin/digests/${digest.id}/test`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie },
      body: new URLSearchParams({ to: "tester@example.com" }).toString(),
    });
    expect(response.status).toBe(502);
    const page = await response.text();
    expect(page).toContain("测试邮件未能发送到 tester@example.com：邮件服务商拒绝了这封邮件");
    // The console sets the provider's `quoted` words as code.
    expect(page).toContain("Invalid <code>to</code> field: tester@example.com");
  });
});
