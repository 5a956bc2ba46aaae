/**
 * Delivery end to end in the Workers runtime: triggers (cron, HTTP) → ledger and
 * fan-out → queue consumer → the Resend SDK → a fake Resend the tests control. After
 * every scenario each active subscriber of the digest has exactly one email, and
 * nobody unsubscribed, suppressed, pending or subscribed elsewhere has any.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { selectItems } from "../src/digests/select.ts";
import { MAINTENANCE_CRON } from "../src/digests/cron.ts";
import { MAX_DELIVERY_ATTEMPTS } from "../src/delivery/deliver-batch.ts";
import { DEAD_LETTER_QUEUE } from "../src/delivery/messages.ts";
import { INVOCATION_BUDGET_MS } from "../src/delivery/queue-consumer.ts";
import { Pacer } from "../src/email/pacer.ts";
import { listOutbox } from "../src/email/outbox-store.ts";
import worker from "../src/index.ts";
import { verifyToken } from "../src/subscribers/tokens.ts";
import { BEFORE_BEIJING_MIDNIGHT, BEIJING_DATE_THEN, FakeClock, freezeDate } from "./helpers/fake-clock.ts";
import { FakeResend } from "./helpers/fake-resend.ts";
import { bounced, complained, deliver } from "./helpers/resend-webhooks.ts";
import { recentEditionSummaries } from "../src/delivery/edition-summaries.ts";
import {
  deliveryEnv,
  drain,
  interruptibleDb,
  invokeQueue,
  RecordingQueue,
  resetDeliveryTables,
  seedSubscribers,
  setSubscriberStatus,
} from "./helpers/delivery-harness.ts";

/** A digest that has items to send when it has no edition yet. */
const digest = digests.find((d) => selectItems(d, items, null).length > 0)!;
const otherDigest = digests.find((d) => d.id !== digest.id)!;

const ACTIVE = ["ada@example.com", "bo@example.com", "chen@example.com"];
const NOT_RECIPIENTS = ["gone@example.com", "bounced@example.com", "waiting@example.com", "elsewhere@example.com"];

async function seedAudience(): Promise<void> {
  await seedSubscribers([
    ...ACTIVE.map((email) => ({ email, status: "active" as const, digests: [digest.id, otherDigest.id] })),
    { email: "gone@example.com", status: "unsubscribed", digests: [digest.id] },
    { email: "bounced@example.com", status: "suppressed", digests: [digest.id] },
    { email: "waiting@example.com", status: "pending", digests: [digest.id] },
    { email: "elsewhere@example.com", status: "active", digests: [otherDigest.id] },
  ]);
}

const ADMIN = { Authorization: "Bearer test-admin-token-of-at-least-32-bytes", "Content-Type": "application/json" };

async function call(testEnv: Env, method: string, path: string, body?: unknown): Promise<Response> {
  const ctx = createExecutionContext();
  const init: RequestInit = { method, headers: ADMIN, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const response = await worker.fetch(new Request(`https://news.example.com${path}`, init), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function fireCron(testEnv: Env, scheduledTime: number, cron = digest.schedule): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime }), testEnv, ctx, clock);
  await waitOnExecutionContext(ctx);
}

/** The invariant after every scenario, for one edition's worth of mail from the fake (`alsoActive`: more active subscribers). */
function expectExactlyOnePerActiveSubscriber(fake: FakeResend, editionId: string, alsoActive: string[] = []): void {
  const ofEdition = fake.sent.filter((email) => email.tags.some((t) => t.name === "edition" && t.value === editionId));
  for (const email of [...ACTIVE, ...alsoActive]) expect(ofEdition.filter((m) => m.to === email), email).toHaveLength(1);
  for (const email of NOT_RECIPIENTS) expect(fake.sentTo(email), email).toHaveLength(0);
  expect(ofEdition).toHaveLength(ACTIVE.length + alsoActive.length);
}

async function status(testEnv: Env, editionId: string) {
  const response = await call(testEnv, "GET", `/api/sends/${editionId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    error: string | null;
    counts: { queued: number; sent: number; failed: number; skipped: number };
    failedByKind: { permanent: number; temporary: number };
    bounced: number;
    complained: number;
    failures: { email: string; reason: string; kind: "permanent" | "temporary" }[];
  };
}

/** A finished edition whose one failure left is bo's address, refused by the provider: permanent, never retried. */
const onlyBoRefused = (sent: number) => ({
  status: "sent",
  counts: { queued: 0, sent, failed: 1, skipped: 0 },
  failedByKind: { permanent: 1, temporary: 0 },
  failures: [{ email: "bo@example.com", reason: "Invalid `to` field: bo@example.com", kind: "permanent" }],
});

/**
 * The routes read the time from the frozen Date, the consumer and the cron from the
 * fake clock, both starting just before Beijing midnight: no test depends on the day
 * it runs or waits on real time for pacing.
 */
const NOW = BEFORE_BEIJING_MIDNIGHT;

let clock: FakeClock;
let pacer: Pacer;
let fake: FakeResend;
let queue: RecordingQueue;
let testEnv: Env;

beforeEach(async () => {
  freezeDate(NOW);
  clock = new FakeClock(NOW);
  pacer = new Pacer(clock);
  fake = new FakeResend(1000, clock.nowMs);
  vi.stubGlobal("fetch", fake.fetch);
  queue = new RecordingQueue();
  testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl });
  await resetDeliveryTables();
  await seedAudience();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Opens today's edition through POST /api/sends and returns its id. */
async function sendNow(): Promise<string> {
  const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { edition: string; recipients: number };
  expect(body.recipients).toBe(ACTIVE.length);
  return body.edition;
}

describe("cron trigger", () => {
  const monday = Date.parse("2026-06-01T00:00:00Z");

  it("opens an edition and the queue delivers it, personalised, to each active subscriber once", async () => {
    await fireCron(testEnv, monday);
    // The cron itself sent nothing: it only enqueued.
    expect(fake.requests).toHaveLength(0);
    expect(queue.pending.length).toBeGreaterThan(0);
    await drain(testEnv, queue, { pacer });

    const editionId = `${digest.id}-2026-06-01`;
    expectExactlyOnePerActiveSubscriber(fake, editionId);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.idempotencyKey).toBe(`${editionId}/0`);

    const [mail] = fake.sentTo("bo@example.com");
    const unsubscribe = new RegExp(`^<(https://news\\.example\\.com/unsubscribe\\?digest=${digest.id}&token=([^>]+))>$`).exec(
      mail!.headers["List-Unsubscribe"] ?? "",
    );
    expect(unsubscribe).not.toBeNull();
    expect(mail!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const token = await verifyToken("test-signing-secret-of-at-least-32-bytes", decodeURIComponent(unsubscribe![2]!), "unsubscribe");
    const boId = (await env.DB.prepare("SELECT id FROM subscribers WHERE email = 'bo@example.com'").first<{ id: number }>())!.id;
    // The one-click link leaves this digest only.
    expect(token).toMatchObject({ ok: true, claims: { subscriberId: boId, digestId: digest.id } });
    // Their own links in both parts, nobody else's.
    expect(mail!.html).toContain(unsubscribe![1]!.replace(/&/g, "&amp;"));
    expect(mail!.text).toContain(unsubscribe![1]);
    expect(mail!.html).toContain("https://news.example.com/preferences?token=");
    expect(fake.sentTo("ada@example.com")[0]!.headers["List-Unsubscribe"]).not.toBe(mail!.headers["List-Unsubscribe"]);
    // The subject names the digest, then the edition's lead story (cut at a natural break to fit a phone).
    expect(mail!.subject).toBe(`${digest.title}｜${selectItems(digest, items, null)[0]!.title.split("，")[0]}`);
    expect(mail!.html).toContain("2026 年 6 月 1 日");
    expect(mail!.tags).toEqual([
      { name: "digest", value: digest.id },
      { name: "edition", value: editionId },
    ]);

    expect(await status(testEnv, editionId)).toMatchObject({
      status: "sent",
      counts: { queued: 0, sent: 3, failed: 0, skipped: 0 },
      failures: [],
    });
  });

  it("logs the cron run, the fan-out and each batch's delivery as one JSON line each", async () => {
    const log = vi.spyOn(console, "log");
    await fireCron(testEnv, monday);
    await drain(testEnv, queue);
    const lines = log.mock.calls.flatMap(([line]) => {
      // A render is logged only when this isolate has not rendered the edition yet (an earlier test may have).
      if (typeof line !== "string" || !line.startsWith("{") || line.includes('"event":"render"')) return [];
      const { durationMs, ...fields } = JSON.parse(line) as { durationMs: unknown };
      expect(typeof durationMs).toBe("number");
      return [fields];
    });
    const editionId = `${digest.id}-2026-06-01`;
    expect(lines).toEqual([
      // Opening the edition writes its first fan-out page before the cron run ends.
      { event: "fan-out", level: "info", edition: editionId, page: 0, recipients: ACTIVE.length, batches: 1, complete: true },
      { event: "cron", level: "info", cron: digest.schedule, digest: digest.id, outcome: expect.stringContaining(`opened ${editionId} with `) },
      { event: "delivery", level: "info", edition: editionId, batch: 0, attempts: 1, sent: ACTIVE.length, failed: 0 },
    ]);
  });

  it("firing twice for the same scheduled time opens one edition and sends once", async () => {
    await fireCron(testEnv, monday);
    await fireCron(testEnv, monday);
    await drain(testEnv, queue, { pacer });
    await fireCron(testEnv, monday);
    await drain(testEnv, queue, { pacer });

    const { results } = await env.DB.prepare("SELECT id FROM editions WHERE digest_id = ?").bind(digest.id).all();
    expect(results).toHaveLength(1);
    expectExactlyOnePerActiveSubscriber(fake, `${digest.id}-2026-06-01`);
  });

  it("a firing that crashed after opening the edition is finished by the platform's retry", async () => {
    const crashing = interruptibleDb(env.DB);
    crashing.crashAt(/INSERT INTO delivery_runs/);
    await expect(fireCron(deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, db: crashing.db }), monday)).rejects.toThrow();
    expect(queue.pending).toHaveLength(0);
    await fireCron(testEnv, monday);
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, `${digest.id}-2026-06-01`);
  });

  it("skips a digest with no new items since its last edition", async () => {
    await fireCron(testEnv, monday);
    await drain(testEnv, queue, { pacer });
    await fireCron(testEnv, monday + 7 * 86_400_000);
    await drain(testEnv, queue, { pacer });

    const { results } = await env.DB.prepare("SELECT id FROM editions WHERE digest_id = ?").bind(digest.id).all();
    expect(results).toHaveLength(digest.sendWhenEmpty ? 2 : 1);
    expect(fake.sentTo("ada@example.com")).toHaveLength(digest.sendWhenEmpty ? 2 : 1);
  });
});

describe("HTTP trigger", () => {
  it("sends the current edition once; calling it again answers 409 with that edition", async () => {
    const editionId = await sendNow();
    expect(editionId).toBe(`${digest.id}-${BEIJING_DATE_THEN}`);
    const again = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ edition: editionId, error: { code: "edition_exists" } });
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, editionId);
  });

  it("force opens a new edition; within 14 days it mails nobody the same items again", async () => {
    const first = await sendNow();
    await drain(testEnv, queue, { pacer });
    const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id, force: true });
    expect(response.status).toBe(202);
    const { edition: second } = (await response.json()) as { edition: string };
    expect(second).toBe(`${first}-2`);
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, first);
    // Every reader had all of its items minutes ago (src/digests/repeats.ts): nothing new, no email.
    expect((await status(testEnv, second)).counts).toEqual({ queued: 0, sent: 0, failed: 0, skipped: ACTIVE.length });
    expect(fake.sent).toHaveLength(ACTIVE.length);
  });

  it("ten simultaneous sends open exactly one edition: one 202, nine 409 naming it, one email each", async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => call(testEnv, "POST", "/api/sends", { digest: digest.id })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { edition: string }[];
    const opened = bodies[responses.findIndex((r) => r.status === 202)]!.edition;
    for (const body of bodies) expect(body.edition).toBe(opened);
    const { results } = await env.DB.prepare("SELECT id FROM editions WHERE digest_id = ?").bind(digest.id).all();
    expect(results).toEqual([{ id: opened }]);
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, opened);
    expect(fake.sent).toHaveLength(ACTIVE.length);
  });

  it("ten simultaneous forced sends open ten distinct editions, never a 5xx", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(testEnv, "POST", "/api/sends", { digest: digest.id, force: true })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const opened = ((await Promise.all(responses.map((r) => r.json()))) as { edition: string }[]).map((b) => b.edition);
    const base = opened.find((id) => !/-\d+$/.test(id.slice(digest.id.length + 11)))!;
    expect(new Set(opened)).toEqual(new Set([base, ...Array.from({ length: 9 }, (_, i) => `${base}-${i + 2}`)]));
    await drain(testEnv, queue, { pacer });
    // The ten carry the same items: the one that opened first mails them, once per reader.
    const first = [...opened].sort()[0]!;
    expectExactlyOnePerActiveSubscriber(fake, first);
    expect(fake.sent).toHaveLength(ACTIVE.length);
  });

  it("skips who unsubscribed or was suppressed after the fan-out", async () => {
    const editionId = await sendNow();
    await setSubscriberStatus("ada@example.com", "unsubscribed");
    await setSubscriberStatus("bo@example.com", "suppressed");
    await drain(testEnv, queue, { pacer });
    expect(fake.sent.map((m) => m.to)).toEqual(["chen@example.com"]);
    expect((await status(testEnv, editionId)).counts).toEqual({ queued: 0, sent: 1, failed: 0, skipped: 2 });
  });
});

describe("faults", () => {
  it("429: waited out in place for the provider's retry-after (no queue round trip), and the next request waits for it", async () => {
    fake.failNext({ kind: "rate-limited", retryAfterSeconds: 1 });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(queue.retries).toEqual([]);
    const [limited, accepted] = fake.requests;
    expect(limited?.status).toBe(429);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
  });

  it("429 with a long retry-after: the batch goes back to the queue for then", async () => {
    fake.failNext({ kind: "rate-limited", retryAfterSeconds: 30 });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(queue.retries).toEqual([expect.objectContaining({ delaySeconds: 30 })]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
  });

  it("four 429s in a row: waited out three times in place, then back to the queue", async () => {
    fake.failNext(...Array.from({ length: 4 }, () => ({ kind: "rate-limited" as const, retryAfterSeconds: 1 })));
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(queue.retries).toEqual([expect.objectContaining({ delaySeconds: 1 })]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 429, 429, 200]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
  });

  it("500 then success: retried with backoff through the queue", async () => {
    fake.failNext({ kind: "server-error" });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(queue.retries).toEqual([expect.objectContaining({ delaySeconds: 2 })]);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 200]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
  });

  it("a provider that hangs: the request is cut off after PROVIDER_TIMEOUT_SECONDS and retried under the same key", async () => {
    testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, vars: { PROVIDER_TIMEOUT_SECONDS: "0.2" } });
    fake.failNext({ kind: "hang" });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(queue.retries).toEqual([expect.objectContaining({ delaySeconds: 2 })]);
    expect(fake.requests.map((r) => [r.status, r.idempotencyKey])).toEqual([
      ["network-error", `${editionId}/0`],
      [200, `${editionId}/0`],
    ]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
  });

  it("response lost after the provider accepted: the idempotency key makes the retry a replay", async () => {
    fake.failNext({ kind: "lost-response" });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(fake.requests.map((r) => [r.status, r.replayed, r.idempotencyKey])).toEqual([
      ["network-error", false, `${editionId}/0`],
      [200, true, `${editionId}/0`],
    ]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
    expect((await status(testEnv, editionId)).counts.sent).toBe(3);
  });

  it("an address edited between a lost response and the retry: the changed payload is not sent again", async () => {
    fake.failNext({ kind: "lost-response" });
    fake.onAccepted = async () => {
      fake.onAccepted = null;
      await env.DB.prepare("UPDATE subscribers SET email = 'ada.new@example.com' WHERE email = 'ada@example.com'").run();
    };
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(fake.requests.map((r) => [r.status, r.replayed])).toEqual([
      ["network-error", false],
      [409, true],
    ]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
    expect(fake.sentTo("ada.new@example.com")).toHaveLength(0);
    expect((await status(testEnv, editionId)).counts).toEqual({ queued: 0, sent: 3, failed: 0, skipped: 0 });
  });

  it("consumer crash right after the provider accepted: redelivery sends nothing twice", async () => {
    const crashing = interruptibleDb(env.DB);
    testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, db: crashing.db });
    fake.onAccepted = crashing.crashNextCall;
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    fake.onAccepted = null;
    expect(queue.retries).toHaveLength(1);
    expect(fake.requests.map((r) => r.replayed)).toEqual([false, true]);
    expectExactlyOnePerActiveSubscriber(fake, editionId);
    expect(await status(testEnv, editionId)).toMatchObject({ status: "sent", counts: { sent: 3, queued: 0 } });
  });

  it("a 422 for one address fails that recipient only, permanently: retry-failed never sends it again", async () => {
    fake.refusedAddresses.set("bo@example.com", "Invalid `to` field: bo@example.com");
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(fake.sent.map((m) => m.to).sort()).toEqual(["ada@example.com", "chen@example.com"]);
    expect(await status(testEnv, editionId)).toMatchObject({
      status: "sent",
      counts: { queued: 0, sent: 2, failed: 1, skipped: 0 },
      failedByKind: { permanent: 1, temporary: 0 },
      failures: [{ email: "bo@example.com", reason: "Invalid `to` field: bo@example.com", kind: "permanent" }],
    });

    // Even once the provider would take it, the provider's refusal of the address stands.
    fake.refusedAddresses.clear();
    const requests = fake.requests.length;
    const retry = await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ edition: editionId, recipients: 0 });
    await drain(testEnv, queue, { pacer });
    expect(fake.requests).toHaveLength(requests);
    expect(fake.sentTo("bo@example.com")).toHaveLength(0);
    expect(await status(testEnv, editionId)).toMatchObject(onlyBoRefused(2));
  });

  it("a quota error stops the edition and reports it; retry-failed resumes it", async () => {
    fake.failNext({ kind: "quota", name: "daily_quota_exceeded" });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(fake.sent).toHaveLength(0);
    const stopped = await status(testEnv, editionId);
    expect(stopped).toMatchObject({ status: "stopped", counts: { sent: 0, failed: 3 }, failedByKind: { permanent: 0, temporary: 3 } });
    expect(stopped.error).toContain("daily_quota_exceeded");

    await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`);
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, editionId);
    expect(await status(testEnv, editionId)).toMatchObject({ status: "sent", error: null, counts: { sent: 3, failed: 0 } });
  });
});

describe("failure kinds", () => {
  const SITE = "https://news.example.com";
  /** 97 more readers after ACTIVE, then zoe: 101 recipients, so zoe is alone in the second provider batch. */
  const FILLERS = Array.from({ length: 97 }, (_, i) => `filler${String(i).padStart(2, "0")}@example.com`);
  const ZOE = "zoe@example.com";

  async function consoleLogin(): Promise<string> {
    const response = await worker.fetch(
      new Request(`${SITE}/admin/login`, {
        method: "POST",
        headers: { Origin: SITE, "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "198.51.100.77" },
        body: new URLSearchParams({ token: "test-admin-token-of-at-least-32-bytes" }),
      }),
      testEnv,
      createExecutionContext(),
    );
    expect(response.status).toBe(303);
    return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  }

  async function consoleCall(cookie: string, method: string, path: string, form?: Record<string, string>): Promise<Response> {
    const ctx = createExecutionContext();
    const headers = { Cookie: cookie, Origin: SITE, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) };
    const body = form ? new URLSearchParams(form) : null;
    const response = await worker.fetch(new Request(`${SITE}${path}`, { method, headers, body, redirect: "manual" }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  const visible = (html: string) => html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");

  it("the console's confirmation page stores the edition's content at the provider; confirming sends it without a template call", async () => {
    const cookie = await consoleLogin();
    const confirm = await consoleCall(cookie, "POST", `/admin/digests/${digest.id}/send`, {});
    expect(visible(await confirm.text())).toContain(`确认发送给 ${ACTIVE.length} 位订阅者`);
    expect(fake.templateRequests.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.requests).toHaveLength(0);

    const sent = await consoleCall(cookie, "POST", `/admin/digests/${digest.id}/send`, { recipients: String(ACTIVE.length) });
    expect(sent.status).toBe(303);
    await drain(testEnv, queue, { pacer });
    expect(fake.sent.map((m) => m.to).sort()).toEqual(ACTIVE);
    expect(fake.templateRequests).toHaveLength(2);
  });

  /**
   * bo's address refused (permanent); zoe's batch answered 500 until the consumer gives
   * up (temporary). One message per invocation, so the batches reach the provider in order.
   */
  async function sentWithBothKinds(): Promise<string> {
    await seedSubscribers([...FILLERS, ZOE].map((email) => ({ email, status: "active" as const, digests: [digest.id] })));
    fake.refusedAddresses.set("bo@example.com", "Invalid `to` field: bo@example.com");
    fake.onAccepted = () => {
      fake.onAccepted = null;
      fake.failNext(...Array.from({ length: MAX_DELIVERY_ATTEMPTS }, () => ({ kind: "server-error" as const })));
    };
    const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
    expect(response.status).toBe(202);
    const { edition } = (await response.json()) as { edition: string };
    await drain(testEnv, queue, { pacer, maxBatchSize: 1 });
    fake.refusedAddresses.clear();
    return edition;
  }

  it("one permanent and one temporary failure: the API and the console count each kind; retry re-sends only the temporary one, once", async () => {
    const editionId = await sentWithBothKinds();
    expect(fake.sentTo(ZOE)).toHaveLength(0);
    const report = await status(testEnv, editionId);
    expect(report).toMatchObject({
      status: "sent",
      counts: { queued: 0, sent: 99, failed: 2, skipped: 0 },
      failedByKind: { permanent: 1, temporary: 1 },
    });
    expect(report.failures).toEqual([
      { email: "bo@example.com", reason: "Invalid `to` field: bo@example.com", kind: "permanent" },
      { email: ZOE, reason: expect.stringContaining(`gave up after ${MAX_DELIVERY_ATTEMPTS} attempts: internal_server_error (500)`), kind: "temporary" },
    ]);

    const cookie = await consoleLogin();
    const page = await (await consoleCall(cookie, "GET", `/admin/editions/${editionId}`)).text();
    expect(page).toContain('<b data-field="status">部分失败（2 位未送达）</b>');
    expect(page).toMatch(/永久失败（地址无效、退信）<\/span><b data-failed="permanent">1</);
    expect(page).toMatch(/临时失败（配额、服务器错误、超时）<\/span><b data-failed="temporary">1</);
    const permanentTable = /<table class="failures" data-kind="permanent">.*?<\/table>/s.exec(page)?.[0] ?? "";
    const temporaryTable = /<table class="failures" data-kind="temporary">.*?<\/table>/s.exec(page)?.[0] ?? "";
    expect(permanentTable).toContain("<td>bo@example.com</td>");
    expect(permanentTable).not.toContain(ZOE);
    // What it means in Chinese; the provider's words only inside the details element.
    expect(permanentTable).toContain("<summary>服务商拒收这个地址（地址无效或不存在）：不会重试，请核对地址。</summary><code>Invalid `to` field: bo@example.com</code></details>");
    expect(temporaryTable).toContain(`<td>${ZOE}</td>`);
    expect(temporaryTable).toContain("<summary>服务商暂时出错：稍后重试即可。</summary>");
    expect(visible(page)).toContain("重新发送给 1 位临时失败的收件人");
    expect(visible(page)).toContain("永久失败的 1 位不会重试。");
    expect(page).toContain('<button type="submit">重试 1 位临时失败的收件人</button>');

    const retried = await consoleCall(cookie, "POST", `/admin/editions/${editionId}/retry-failed`);
    expect(retried.status).toBe(303);
    expect(retried.headers.get("Location")).toBe(`/admin/editions/${editionId}?retried=1`);
    await drain(testEnv, queue, { pacer });
    expect(fake.sentTo(ZOE)).toHaveLength(1);
    expect(fake.sentTo("bo@example.com")).toHaveLength(0);
    expect(await status(testEnv, editionId)).toMatchObject(onlyBoRefused(100));
    const after = await (await consoleCall(cookie, "GET", `/admin/editions/${editionId}?retried=1`)).text();
    expect(after).toContain("已将 1 位临时失败的收件人重新排入发送队列。");
    expect(after).toContain('<button type="submit" disabled aria-describedby="retry-reason">重试临时失败的收件人</button>');
    expect(after).toContain('<p id="retry-reason" class="meta">没有可重试的收件人：失败的 1 位都是永久失败（地址无效或退信），重试也无法送达。</p>');
  });

  it("two retries at once re-send each temporary failure once", async () => {
    const editionId = await sentWithBothKinds();
    const requestsBefore = fake.requests.length;
    const answers = await Promise.all([
      call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`),
      call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`),
    ]);
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { recipients: number }[];
    expect(bodies.map((body) => body.recipients).sort()).toEqual([0, 1]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 202]);
    await drain(testEnv, queue, { pacer });
    expect(fake.requests.length - requestsBefore).toBe(1);
    expect(fake.sentTo(ZOE)).toHaveLength(1);
    expect(fake.sentTo("bo@example.com")).toHaveLength(0);
    expect(await status(testEnv, editionId)).toMatchObject({ counts: { sent: 100, failed: 1 }, failedByKind: { permanent: 1, temporary: 0 } });
  });

  it("a temporary failure whose address is refused on retry becomes permanent, and is never offered again", async () => {
    const editionId = await sentWithBothKinds();
    fake.refusedAddresses.set(ZOE, `Invalid \`to\` field: ${ZOE}`);
    expect(await (await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`)).json()).toEqual({ edition: editionId, recipients: 1 });
    await drain(testEnv, queue, { pacer });
    // zoe was alone in the retry batch: the batch itself failed, permanently.
    const retryBatch = await env.DB.prepare("SELECT state, failure_kind FROM delivery_batches WHERE edition_id = ? AND batch >= 1000000")
      .bind(editionId)
      .first();
    expect(retryBatch).toEqual({ state: "failed", failure_kind: "permanent" });
    const report = await status(testEnv, editionId);
    expect(report).toMatchObject({ status: "sent", counts: { sent: 99, failed: 2 }, failedByKind: { permanent: 2, temporary: 0 } });
    expect(report.failures.map((failure) => [failure.email, failure.kind])).toEqual([
      ["bo@example.com", "permanent"],
      [ZOE, "permanent"],
    ]);

    fake.refusedAddresses.clear();
    const requests = fake.requests.length;
    expect(await (await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`)).json()).toEqual({ edition: editionId, recipients: 0 });
    await drain(testEnv, queue, { pacer });
    expect(fake.requests).toHaveLength(requests);
    expect(fake.sentTo(ZOE)).toHaveLength(0);
  });

  it("the same bounce and complaint webhooks twice: counted once, and a suppressed reader's temporary failure is skipped on retry", async () => {
    fake.failNext({ kind: "quota", name: "daily_quota_exceeded" });
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    expect(await status(testEnv, editionId)).toMatchObject({ status: "stopped", failedByKind: { permanent: 0, temporary: 3 } });

    // chen complains about another mail, twice under one webhook id: suppressed once.
    const complaint = { id: "msg_complaint_chen" };
    expect(await (await deliver(complained("chen@example.com"), complaint)).json()).toEqual({ received: true, outcome: "suppressed" });
    expect(await (await deliver(complained("chen@example.com"), complaint)).json()).toEqual({ received: true, outcome: "duplicate" });

    // The operator's retry re-queues the three temporary failures, but chen's decision stands.
    const retry = await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`);
    expect(await retry.json()).toEqual({ edition: editionId, recipients: 3 });
    await drain(testEnv, queue, { pacer });
    expect(fake.sentTo("chen@example.com")).toHaveLength(0);
    expect(fake.sent.map((m) => m.to).sort()).toEqual(["ada@example.com", "bo@example.com"]);

    // ada's mailbox bounces it, reported twice: one bounce against the edition.
    const bounce = { id: "msg_bounce_ada" };
    expect(await (await deliver(bounced("ada@example.com"), bounce)).json()).toEqual({ received: true, outcome: "suppressed" });
    expect(await (await deliver(bounced("ada@example.com"), bounce)).json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await status(testEnv, editionId)).toMatchObject({
      status: "sent",
      counts: { queued: 0, sent: 2, failed: 0, skipped: 1 },
      failedByKind: { permanent: 0, temporary: 0 },
      bounced: 1,
      complained: 0,
    });
    const cookie = await consoleLogin();
    const page = visible(await (await consoleCall(cookie, "GET", `/admin/editions/${editionId}`)).text());
    expect(page).toContain("另有送达后退信 1 位、投诉 0 位：已停止向这些地址投递，也不会重试。");
    expect(page).toContain("没有可重试的收件人：这一期没有失败的收件人。");
    expect((await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`)).status).toBe(200);
  });
});

describe("ledger retention", () => {
  const DAY = 86_400_000;

  async function ledgerRows(editionId: string) {
    const row = await env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM delivery_batches WHERE edition_id = ?1) AS batches,
              (SELECT json_group_array(s.email || ' ' || f.kind) FROM delivery_failures f JOIN subscribers s ON s.id = f.subscriber_id WHERE f.edition_id = ?1) AS failed`,
    )
      .bind(editionId)
      .first<{ batches: number; failed: string }>();
    return { batches: row?.batches, failed: (JSON.parse(row?.failed ?? "[]") as string[]).sort() };
  }

  /**
   * An edition sent to ada and complained about by her, refused for bo's address
   * (permanent) and for chen's email but not her address (a per-email header problem:
   * temporary).
   */
  async function sentWithFailuresAndAComplaint(): Promise<string> {
    fake.refusedAddresses.set("bo@example.com", "Invalid `to` field: bo@example.com");
    fake.refusedAddresses.set("chen@example.com", "Invalid `headers` field: a header value is too long");
    const editionId = await sendNow();
    await drain(testEnv, queue, { pacer });
    fake.refusedAddresses.clear();
    expect(await (await deliver(complained("ada@example.com"))).json()).toMatchObject({ outcome: "suppressed" });
    expect(await ledgerRows(editionId)).toEqual({ batches: 1, failed: ["bo@example.com permanent", "chen@example.com temporary"] });
    return editionId;
  }

  it("past the window, an edition keeps its counts, attributed complaints and failures with their kinds, and nothing else per recipient; retry-failed still works", async () => {
    const editionId = await sentWithFailuresAndAComplaint();
    const before = await status(testEnv, editionId);
    expect(before).toMatchObject({ status: "sent", counts: { sent: 1, failed: 2 }, failedByKind: { permanent: 1, temporary: 1 }, complained: 1 });

    clock.advance(89 * DAY);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    expect((await ledgerRows(editionId)).batches).toBe(1);

    clock.advance(2 * DAY);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    // Who was sent it is gone; the failures stay, with their reasons and kinds.
    expect(await ledgerRows(editionId)).toEqual({ batches: 0, failed: ["bo@example.com permanent", "chen@example.com temporary"] });
    expect(await status(testEnv, editionId)).toEqual(before);
    const [summary] = await recentEditionSummaries(env.DB, 1);
    expect(summary).toMatchObject({ id: editionId, counts: { sent: 1, failed: 2 }, complained: 1, bounced: 0 });

    const retry = await call(testEnv, "POST", `/api/sends/${editionId}/retry-failed`);
    expect(await retry.json()).toEqual({ edition: editionId, recipients: 1 });
    await drain(testEnv, queue, { pacer });
    expect(fake.sentTo("chen@example.com")).toHaveLength(1);
    expect(fake.sentTo("bo@example.com")).toHaveLength(0);
    expect(await status(testEnv, editionId)).toMatchObject(onlyBoRefused(2));
  });

  it("the window is LEDGER_RETENTION_DAYS", async () => {
    const editionId = await sentWithFailuresAndAComplaint();
    clock.advance(31 * DAY);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    expect((await ledgerRows(editionId)).batches).toBe(1);
    await fireCron({ ...testEnv, LEDGER_RETENTION_DAYS: "30" }, clock.nowMs(), MAINTENANCE_CRON);
    expect((await ledgerRows(editionId)).batches).toBe(0);
    await expect(fireCron({ ...testEnv, LEDGER_RETENTION_DAYS: "3" }, clock.nowMs(), MAINTENANCE_CRON)).rejects.toThrow(
      'LEDGER_RETENTION_DAYS is "3": expected a whole number of days, at least 8',
    );
  });
});

describe("recovery of an interrupted send", () => {
  const MINUTE = 60_000;
  /** With ACTIVE: 253 recipients, three provider batches (100, 100, 53). */
  const READERS = Array.from({ length: 250 }, (_, i) => `reader${String(i).padStart(3, "0")}@example.com`);

  /**
   * The repro of the issue: a send of three batches, the process killed while the
   * provider accepts the first one. Its rows stay `sending` (the provider has them),
   * the others `queued`, and the local queue's messages are gone with the process.
   */
  async function killMidSend(): Promise<string> {
    await seedSubscribers(READERS.map((email) => ({ email, status: "active" as const, digests: [digest.id] })));
    const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
    expect(response.status).toBe(202);
    const { edition } = (await response.json()) as { edition: string };
    const crashing = interruptibleDb(env.DB);
    fake.onAccepted = () => {
      fake.onAccepted = null;
      crashing.killNextCall();
    };
    // One request in flight: the fan-out's message names all three batches, which would otherwise go out at once.
    const oneAtATime = { PROVIDER_MAX_IN_FLIGHT: "1" };
    await invokeQueue(deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, db: crashing.db, vars: oneAtATime }), queue, { maxBatchSize: 1, pacer });
    queue.loseAll();
    expect(fake.sent).toHaveLength(100);
    expect(await ledger(edition)).toEqual({ queued: 153, sending: 100 });
    return edition;
  }

  async function ledger(editionId: string): Promise<Record<string, number>> {
    const { results } = await env.DB.prepare("SELECT state AS status, SUM(size) AS n FROM delivery_batches WHERE edition_id = ? GROUP BY state")
      .bind(editionId)
      .all<{ status: string; n: number }>();
    return Object.fromEntries(results.map((row) => [row.status, row.n]));
  }

  /** The process died `ms` ago: neither the edition nor its ledger has changed since. */
  async function stoppedAgo(editionId: string, ms: number): Promise<void> {
    const at = new Date(clock.nowMs() - ms).toISOString();
    await env.DB.batch([
      env.DB.prepare("UPDATE editions SET created_at = ? WHERE id = ?").bind(at, editionId),
      env.DB.prepare("UPDATE delivery_batches SET updated_at = ? WHERE edition_id = ?").bind(at, editionId),
    ]);
  }

  const queuedBatches = () => queue.pending.map((m) => m.body);
  /** The recovery report after killMidSend: all three batches back on the queue, nothing stale. */
  const everyBatchRequeued = (edition: string) => ({
    edition,
    requeued: { batches: 3, recipients: 253 },
    failedStale: 0,
    fanOutResumed: false,
    status: "sending",
  });
  const recoveryLines = (log: { mock: { calls: unknown[][] } }) =>
    log.mock.calls.flatMap(([line]) => (typeof line === "string" && line.includes('"event":"recovery"') ? [JSON.parse(line) as unknown] : []));

  it("the maintenance cron leaves a send that is still moving alone, then finishes it once quiet, each recipient once", async () => {
    const editionId = await killMidSend();
    const log = vi.spyOn(console, "log");
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    expect(queue.pending).toHaveLength(0);

    await stoppedAgo(editionId, 6 * MINUTE);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    expect(queuedBatches()).toEqual([0, 1, 2].map((batch) => ({ type: "deliver", edition: editionId, batch })));
    expect(recoveryLines(log)).toEqual([{ event: "recovery", level: "info", source: "sweep", ...everyBatchRequeued(editionId) }]);
    await drain(testEnv, queue, { pacer });

    expectExactlyOnePerActiveSubscriber(fake, editionId, READERS);
    // The batch the provider had accepted was answered from its record, under the same key.
    expect(fake.requests.filter((r) => r.idempotencyKey === `${editionId}/0`).map((r) => r.replayed)).toEqual([false, true]);
    expect(await status(testEnv, editionId)).toMatchObject({ status: "sent", counts: { queued: 0, sent: 253, failed: 0 } });
    // Once finished, later sweeps find nothing.
    await stoppedAgo(editionId, 6 * MINUTE);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    expect(queue.pending).toHaveLength(0);
  });

  it("claims older than the provider's 24 h idempotency window are failed with that reason, never re-sent blindly", async () => {
    const editionId = await killMidSend();
    await stoppedAgo(editionId, 25 * 60 * MINUTE);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    expect(queuedBatches()).toEqual([1, 2].map((batch) => ({ type: "deliver", edition: editionId, batch })));
    await drain(testEnv, queue, { pacer });

    // Everyone still got exactly one copy: batch 0 from before the crash, the rest now.
    expectExactlyOnePerActiveSubscriber(fake, editionId, READERS);
    expect(fake.requests.filter((r) => r.idempotencyKey === `${editionId}/0`)).toHaveLength(1);
    const after = await status(testEnv, editionId);
    expect(after).toMatchObject({ status: "sent", counts: { queued: 0, sent: 153, failed: 100 } });
    expect(after.failures[0]?.reason).toContain("over 24 h ago");
    expect(after.failures[0]?.reason).toContain(`/api/sends/${editionId}/retry-failed`);
  });

  it("POST /api/sends/:edition/resume re-enqueues at once and answers what; a second call finds nothing", async () => {
    const editionId = await killMidSend();
    const resumed = await call(testEnv, "POST", `/api/sends/${editionId}/resume`);
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toEqual(everyBatchRequeued(editionId));
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, editionId, READERS);

    const again = await call(testEnv, "POST", `/api/sends/${editionId}/resume`);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ requeued: { batches: 0, recipients: 0 }, status: "sent" });
    expect(queue.pending).toHaveLength(0);
    expect((await call(testEnv, "POST", "/api/sends/nope/resume")).status).toBe(404);
  });

  it("a dead-lettered batch recovers its whole edition through the main queue, each recipient once", async () => {
    const editionId = await killMidSend();
    const deadLetters = new RecordingQueue();
    await deadLetters.send({ type: "deliver", edition: editionId, batch: 1 });
    await deadLetters.send({ type: "deliver", edition: editionId, batch: 1 });
    await drain(testEnv, deadLetters, { queueName: DEAD_LETTER_QUEUE, pacer });
    expect(deadLetters.retries).toHaveLength(0);
    // Nothing was sent from the dead-letter queue itself: it re-enqueued the edition's batches once.
    expect(fake.sent).toHaveLength(100);
    expect(queuedBatches()).toEqual([0, 1, 2].map((batch) => ({ type: "deliver", edition: editionId, batch })));
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, editionId, READERS);
    expect((await status(testEnv, editionId)).status).toBe("sent");
  });

  it("a trigger killed before its fan-out is fanned out and sent by the sweep", async () => {
    const crashing = interruptibleDb(env.DB);
    crashing.crashAt(/INSERT INTO delivery_runs/);
    const response = await call(deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, db: crashing.db }), "POST", "/api/sends", { digest: digest.id });
    expect(response.status).toBe(500);
    const { results } = await env.DB.prepare("SELECT id FROM editions WHERE digest_id = ?").bind(digest.id).all<{ id: string }>();
    const editionId = results[0]!.id;
    expect(queue.pending).toHaveLength(0);

    await stoppedAgo(editionId, 6 * MINUTE);
    await fireCron(testEnv, clock.nowMs(), MAINTENANCE_CRON);
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, editionId);
    expect((await status(testEnv, editionId)).status).toBe("sent");
  });
});

describe("pacing", () => {
  it("keeps to the rate the provider announces: no 429, never more than its limit in any second", async () => {
    fake = new FakeResend(2, clock.nowMs);
    vi.stubGlobal("fetch", fake.fetch);
    testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl });
    await seedSubscribers(
      Array.from({ length: 500 }, (_, i) => ({ email: `reader${i}@example.com`, status: "active" as const, digests: [digest.id] })),
    );
    const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
    expect(await response.json()).toMatchObject({ recipients: 503 });
    await drain(testEnv, queue, { pacer });

    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const [i, request] of fake.requests.entries()) {
      const inWindow = fake.requests.filter((r) => r.at > request.at - 1000 && r.at <= request.at);
      expect(inWindow.length, `request ${i}`).toBeLessThanOrEqual(2);
    }
    expect(new Set(fake.sent.map((m) => m.to)).size).toBe(503);
    expect(fake.sent).toHaveLength(503);
    // Six requests at two per second: the pacer held them (on the fake clock) for at least two windows.
    expect(fake.requests.at(-1)!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(2000);
  });
});

describe("a long invocation", () => {
  it("hands the steps it has not started by its budget back to the queue; every reader is still mailed once", async () => {
    const readers = Array.from({ length: 250 }, (_, i) => `late${String(i).padStart(3, "0")}@example.com`);
    await seedSubscribers(readers.map((email) => ({ email, status: "active" as const, digests: [digest.id] })));
    const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
    const { edition } = (await response.json()) as { edition: string };
    expect(queue.pending.map((m) => m.body)).toEqual([{ type: "deliver", edition, batch: 0, batches: 3 }]);
    // The first batch takes the invocation past its budget: the other two are not started.
    fake.onAccepted = () => {
      fake.onAccepted = null;
      clock.advance(INVOCATION_BUDGET_MS + 1);
    };
    const oneAtATime = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, vars: { PROVIDER_MAX_IN_FLIGHT: "1" } });
    await invokeQueue(oneAtATime, queue, { pacer });
    expect(fake.sent).toHaveLength(100);
    expect(queue.retries).toEqual([{ body: { type: "deliver", edition, batch: 0, batches: 3 }, attempts: 1, delaySeconds: 0 }]);
    await drain(testEnv, queue, { pacer });
    expectExactlyOnePerActiveSubscriber(fake, edition, readers);
  });
});

describe("local outbox", () => {
  it("without RESEND_API_KEY a list of several fan-out pages pages through the queue into the outbox, once each", async () => {
    // Pages of 2 batches (200 recipients): three pages, as 5,000-recipient pages would for 10,000+.
    testEnv = deliveryEnv(queue, { vars: { FANOUT_PAGE_BATCHES: "2" } });
    const count = 450;
    await seedSubscribers(
      Array.from({ length: count }, (_, i) => ({ email: `r${i}@example.com`, status: "active" as const, digests: [digest.id] })),
    );
    const response = await call(testEnv, "POST", "/api/sends", { digest: digest.id });
    const { edition } = (await response.json()) as { edition: string };
    // The trigger wrote one page (2 batches) and handed the rest of the list to the queue.
    const pending = () => queue.pending.map((m) => m.body as { type: string });
    expect(pending().filter((m) => m.type === "fan-out")).toHaveLength(1);
    expect(pending().filter((m) => m.type === "deliver")).toEqual([{ type: "deliver", edition, batch: 0, batches: 2 }]);
    await drain(testEnv, queue, { pacer });
    // Redelivering every message once more changes nothing.
    queue.redeliverAll();
    await drain(testEnv, queue, { pacer });

    const total = ACTIVE.length + count;
    const outbox = await listOutbox(env.DB, total + 10);
    expect(outbox).toHaveLength(total);
    expect(new Set(outbox.map((m) => m.to)).size).toBe(total);
    for (const email of NOT_RECIPIENTS) expect(outbox.filter((m) => m.to === email)).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
    // Three pages of batches 0–1, 2–3 and 4 (53 recipients).
    const { results } = await env.DB.prepare("SELECT MAX(batch) AS last FROM delivery_batches WHERE edition_id = ?").bind(edition).all<{ last: number }>();
    expect(results[0]?.last).toBe(4);
    expect(await status(testEnv, edition)).toMatchObject({ status: "sent", counts: { sent: total } });
  });
});
