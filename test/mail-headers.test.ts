/**
 * What reaches the provider (the fake Resend) and the local outbox: List-Id naming the
 * digest (RFC 2919, RFC 2047 for its Chinese title), Reply-To only when REPLY_TO is set,
 * and subjects that name the digest and lead with the edition's lead story.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { items } from "../src/content/collection.ts";
import { getDigest } from "../src/digests/catalog.ts";
import { headerPhrase, listIdHeader } from "../src/delivery/list-headers.ts";
import { listOutbox } from "../src/email/outbox-store.ts";
import worker from "../src/index.ts";
import { FakeResend } from "./helpers/fake-resend.ts";
import { deliveryEnv, drain, RecordingQueue, resetDeliveryTables, seedSubscribers } from "./helpers/delivery-harness.ts";

const ADMIN = { Authorization: "Bearer test-admin-token-of-at-least-32-bytes", "Content-Type": "application/json" };
const REPLY_TO = "编辑部 <editors@example.com>";

/** Decodes RFC 2047 "B" encoded words as a mail client does (white space between two encoded words is dropped). */
const decodeWords = (phrase: string) =>
  phrase
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_, b64: string) =>
      new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))),
    );

async function send(testEnv: Env, digest: string, queue: RecordingQueue): Promise<void> {
  const ctx = createExecutionContext();
  const request = new Request("https://news.example.com/api/sends", { method: "POST", headers: ADMIN, body: JSON.stringify({ digest }) });
  const response = await worker.fetch(request, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(202);
  await drain(testEnv, queue);
}

let fake: FakeResend;
let queue: RecordingQueue;

beforeEach(async () => {
  fake = new FakeResend();
  vi.stubGlobal("fetch", fake.fetch);
  queue = new RecordingQueue();
  await resetDeliveryTables();
  await seedSubscribers([{ email: "ada@example.com", status: "active", digests: ["weekly", "waic-forum"] }]);
});

afterEach(() => vi.unstubAllGlobals());

describe("List-Id", () => {
  it("names each digest under the site's host, with its title as an RFC 2047 phrase", async () => {
    const testEnv = deliveryEnv(queue, { resendBaseUrl: fake.baseUrl });
    // The forum first: the weekly, sent after, leaves out the forum item and still has the interview.
    await send(testEnv, "waic-forum", queue);
    await send(testEnv, "weekly", queue);
    const [forum, weekly] = fake.sentTo("ada@example.com");
    expect(weekly?.headers["List-Id"]).toBe("=?UTF-8?B?5q+P5ZGo57K+6YCJ?= <weekly.news.example.com>");
    expect(decodeWords(weekly?.headers["List-Id"] ?? "")).toBe("每周精选 <weekly.news.example.com>");
    expect(decodeWords(forum?.headers["List-Id"] ?? "")).toBe("WAIC AI 开发者论坛 <waic-forum.news.example.com>");
    for (const mail of [weekly, forum]) expect(mail?.headers["List-Id"]).toMatch(/^[\x20-\x7e]+$/);
    // The first send of a file loads React Email: seconds on a busy machine.
  }, 30_000);

  it("splits a long title into encoded words of at most 75 characters, never inside a character", () => {
    const title = "人工智能前沿：大模型、多模态与具身智能的每周深度精选合集";
    const phrase = headerPhrase(title);
    const words = phrase.split(" ");
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(phrase)).toBe(title);
    expect(listIdHeader({ id: "weekly", title: "Weekly: AI" }, "http://localhost:8787")).toBe('"Weekly: AI" <weekly.localhost>');
    expect(listIdHeader({ id: "weekly", title: "Weekly AI" }, "https://news.example.com/")).toBe("Weekly AI <weekly.news.example.com>");
  });
});

describe("Reply-To", () => {
  it("is absent by default: replies go to the sender", async () => {
    await send(deliveryEnv(queue, { resendBaseUrl: fake.baseUrl }), "weekly", queue);
    const [mail] = fake.sentTo("ada@example.com");
    expect(mail).toBeDefined();
    expect(mail).not.toHaveProperty("reply_to");
    expect(Object.keys(mail?.headers ?? {})).not.toContain("Reply-To");
  });

  it("is REPLY_TO when set, in what reaches Resend and in the local outbox", async () => {
    await send({ ...deliveryEnv(queue, { resendBaseUrl: fake.baseUrl }), REPLY_TO }, "waic-forum", queue);
    expect(fake.sentTo("ada@example.com")[0]?.reply_to).toBe(REPLY_TO);

    await send({ ...deliveryEnv(queue), REPLY_TO }, "weekly", queue);
    const [stored] = await listOutbox(env.DB);
    expect(stored?.headers?.["Reply-To"]).toBe(REPLY_TO);
  });
});

describe("subjects", () => {
  it("name the digest, then the edition's lead story and how many it holds; the preheader is the lead's summary", async () => {
    await send(deliveryEnv(queue, { resendBaseUrl: fake.baseUrl }), "weekly", queue);
    const [mail] = fake.sentTo("ada@example.com");
    const lead = items[0]!;
    expect(getDigest("weekly")?.subject).toBe("每周精选｜{lead}{count}");
    expect(mail?.subject).toMatch(/^每周精选｜.+等 2 篇$/);
    expect(lead.title.startsWith(mail!.subject.slice("每周精选｜".length, -"等 2 篇".length))).toBe(true);
    expect(mail?.html).toContain(`data-skip-in-text="true">${lead.summary.slice(0, 20)}`);
  });
});
