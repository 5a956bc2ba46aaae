/**
 * Digest content stored once at the provider (src/email/provider-templates.ts): each
 * edition variant is one Resend template, and a batch carries only each reader's links.
 * What readers get is unchanged: the fake fills the template with each email's variables,
 * as Resend does, and every copy holds its reader's own links.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { digests } from "../src/digests/catalog.ts";
import { Pacer } from "../src/email/pacer.ts";
import { BEFORE_BEIJING_MIDNIGHT, FakeClock, freezeDate } from "./helpers/fake-clock.ts";
import { FakeResend } from "./helpers/fake-resend.ts";
import {
  deliveryEnv,
  drain,
  invokeQueue,
  oneBatchPerMessage,
  openForcedEdition,
  RecordingQueue,
  resetDeliveryTables,
  seedSubscribers,
} from "./helpers/delivery-harness.ts";

const digest = digests.find((d) => d.id === "weekly")!;
const READERS = Array.from({ length: 250 }, (_, i) => `reader${String(i).padStart(3, "0")}@example.com`);

let clock: FakeClock;
let fake: FakeResend;
let queue: RecordingQueue;
let testEnv: Env;

beforeEach(async () => {
  freezeDate(BEFORE_BEIJING_MIDNIGHT);
  clock = new FakeClock(BEFORE_BEIJING_MIDNIGHT);
  fake = new FakeResend(1000, clock.nowMs);
  vi.stubGlobal("fetch", fake.fetch);
  queue = new RecordingQueue();
  testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl });
  await resetDeliveryTables();
  await seedSubscribers(READERS.map((email) => ({ email, status: "active" as const, digests: [digest.id] })));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const openEdition = () => openForcedEdition(testEnv, digest.id);

/** POST /api/sends { dryRun: true }, its background work awaited: the plan it answers. */
async function dryRun(withEnv: Env, options: { force?: boolean }): Promise<{ refusal: string | null }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request("https://news.example.com/api/sends", {
      method: "POST",
      headers: { Authorization: "Bearer test-admin-token-of-at-least-32-bytes", "Content-Type": "application/json" },
      body: JSON.stringify({ digest: digest.id, dryRun: true, ...options }),
    }),
    withEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(200);
  return (await response.json()) as { refusal: string | null };
}

/** Every reader got one copy, with their own unsubscribe link in body and header. */
function expectEachReaderOnceWithOwnLinks(): void {
  expect(fake.sent.map((m) => m.to).sort()).toEqual(READERS);
  const unsubscribeLinks = new Set(fake.sent.map((m) => /<(https:\/\/news\.example\.com\/unsubscribe\?[^>]+)>/.exec(m.headers["List-Unsubscribe"] ?? "")?.[1]));
  expect(unsubscribeLinks.size).toBe(READERS.length);
  for (const mail of fake.sent) {
    const link = /<([^>]+)>/.exec(mail.headers["List-Unsubscribe"] ?? "")?.[1] ?? "";
    expect(mail.html).toContain(link.replace(/&/g, "&amp;"));
    expect(mail.text).toContain(link);
    expect(mail.html).not.toContain("{{{");
  }
}

describe("digest content stored at the provider", () => {
  it("one template for the edition, created and published once; each batch carries only links", async () => {
    await openEdition();
    await drain(testEnv, queue, { pacer: new Pacer(clock) });
    expectEachReaderOnceWithOwnLinks();
    expect(fake.account.templateCount).toBe(1);
    expect(fake.templateRequests.map((r) => [r.path.replace(/\/templates\/[^/]+\//, "/templates/:id/"), r.status])).toEqual([
      ["/templates", 200],
      ["/templates/:id/publish", 200],
    ]);
    // 100 copies of a ~25 KB edition would be ~2.5 MB; with the content stored once they are links only.
    for (const request of fake.requests) expect(request.bytes / request.emails).toBeLessThan(2_000);
  });

  it("a second isolate, remembering nothing, converges on the same template: one template, each reader mailed once", async () => {
    const edition = await openEdition();
    // One batch a message (as recovery enqueues them), so each isolate takes some.
    await oneBatchPerMessage(queue, edition, 3);
    await invokeQueue(testEnv, queue, { maxBatchSize: 1, pacer: new Pacer(clock) });
    // A fresh module registry is a fresh isolate: its create of the same alias is refused, and it publishes.
    vi.resetModules();
    const secondIsolate = (await import("../src/index.ts")).default;
    await drain(testEnv, queue, { pacer: new Pacer(clock), worker: secondIsolate });
    expectEachReaderOnceWithOwnLinks();
    expect(fake.account.templateCount).toBe(1);
    expect(fake.templateRequests.map((r) => r.status)).toEqual([200, 200, 409, 200]);
  });

  it("a dry run stores the edition's content ahead: the send that follows makes no template call and opens with its first batch", async () => {
    expect((await dryRun(testEnv, { force: true })).refusal).toBeNull();
    expect(fake.templateRequests.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.requests).toHaveLength(0);

    // The operator reads the answer for a moment, then sends.
    freezeDate(BEFORE_BEIJING_MIDNIGHT + 300);
    await openEdition();
    await drain(testEnv, queue, { pacer: new Pacer(clock) });
    expectEachReaderOnceWithOwnLinks();
    expect(fake.templateRequests).toHaveLength(2);
    expect(fake.account.templateCount).toBe(1);
    for (const request of fake.requests) expect(request.bytes / request.emails).toBeLessThan(2_000);
  });

  it("a dry run stores nothing without a provider, or when sending would open nothing", async () => {
    expect((await dryRun(deliveryEnv(queue), { force: true })).refusal).toBeNull();
    expect(fake.templateRequests).toHaveLength(0);

    await openEdition();
    await drain(testEnv, queue, { pacer: new Pacer(clock) });
    expect(fake.templateRequests).toHaveLength(2);
    expect((await dryRun(testEnv, {})).refusal).toBe("edition-exists");
    expect(fake.templateRequests).toHaveLength(2);
  });

  it("an account that will not store templates gets each copy's content inline", async () => {
    fake.account.refuseTemplates = true;
    await openEdition();
    await drain(testEnv, queue, { pacer: new Pacer(clock) });
    expectEachReaderOnceWithOwnLinks();
    expect(fake.account.templateCount).toBe(0);
    expect(fake.requests.every((r) => r.bytes / r.emails > 5_000)).toBe(true);
  });

  it("a template deleted at the provider mid-send is made again, and no reader is lost or mailed twice", async () => {
    await openEdition();
    const pacer = new Pacer(clock);
    // The first batch goes out; then the operator deletes every template in the dashboard.
    fake.onAccepted = () => {
      fake.onAccepted = null;
      fake.account.deleteTemplates();
    };
    await drain(deliveryEnv(queue, { resendBaseUrl: fake.baseUrl, vars: { PROVIDER_MAX_IN_FLIGHT: "1" } }), queue, { pacer });
    expectEachReaderOnceWithOwnLinks();
    expect(fake.account.templateCount).toBe(1);
    expect(fake.requests.some((r) => r.status === 422)).toBe(true);
  });
});
