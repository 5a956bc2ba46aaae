/**
 * Two consumers sending at once share the provider's window through its one owner, the
 * ProviderWindow Durable Object: together they stay within the announced limit, where
 * two consumers each pacing on its own collect 429s. Real time (the Durable Object runs
 * on the system clock) against a fake Resend allowing 4 requests a second.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { selectItems } from "../src/digests/select.ts";
import { systemClock } from "../src/clock.ts";
import { Pacer, type SendWindow } from "../src/email/pacer.ts";
import { sharedWindow } from "../src/email/provider-window.ts";
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

const LIMIT = 4;
const READERS = 1000;
const digest = digests.find((d) => selectItems(d, items, null).length > 0)!;

let fake: FakeResend;
let queue: RecordingQueue;
let testEnv: Env;

beforeEach(async () => {
  fake = new FakeResend(LIMIT);
  vi.stubGlobal("fetch", fake.fetch);
  queue = new RecordingQueue();
  testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl });
  await resetDeliveryTables();
  await seedSubscribers(Array.from({ length: READERS }, (_, i) => ({ email: `r${i}@example.com`, status: "active" as const, digests: [digest.id] })));
});

afterEach(() => vi.unstubAllGlobals());

/** Opens an edition (10 batches), then two consumer invocations take five batches each and send at once. */
async function sendWithTwoConsumers(first: SendWindow, second: SendWindow): Promise<void> {
  const edition = await openForcedEdition(testEnv, digest.id);
  // The fan-out names the ten batches in one message; recovery names one batch a message.
  // Re-enqueued that way, each consumer takes five.
  expect(queue.pending.map((m) => m.body)).toEqual([{ type: "deliver", edition, batch: 0, batches: READERS / 100 }]);
  await oneBatchPerMessage(queue, edition, READERS / 100);
  await Promise.all([
    invokeQueue(testEnv, queue, { maxBatchSize: 5, pacer: first }),
    invokeQueue(testEnv, queue, { maxBatchSize: 5, pacer: second }),
  ]);
  // Batches a 429 sent back to the queue go out afterwards.
  await drain(testEnv, queue, { pacer: first });
  expect(fake.sent).toHaveLength(READERS);
  expect(new Set(fake.sent.map((m) => m.to)).size).toBe(READERS);
}

const rateLimited = () => fake.requests.filter((r) => r.status === 429).length;

describe("the provider's window shared by two consumers", () => {
  it("through the Durable Object: no 429 storm, every reader once", { timeout: 60_000 }, async () => {
    await sendWithTwoConsumers(sharedWindow(testEnv), sharedWindow(testEnv));
    // One owner grants both consumers' requests: at most a stray 429 from arrival jitter on a loaded machine.
    expect(rateLimited()).toBeLessThanOrEqual(1);
  });

  it("each consumer on its own account (the contrast): both fill the same window and collect 429s", { timeout: 60_000 }, async () => {
    await sendWithTwoConsumers(new Pacer(systemClock), new Pacer(systemClock));
    expect(rateLimited()).toBeGreaterThanOrEqual(2);
  });
});
