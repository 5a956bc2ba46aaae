/**
 * Each item once: a reader never gets the same item twice within 14 days, across all
 * their digests. Real routes open the editions (POST /api/sends), the real queue
 * consumer renders and sends them into the outbox; the time is frozen per step.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listOutbox, type OutboxMessage } from "../src/email/outbox-store.ts";
import worker from "../src/index.ts";
import { recipientLinks } from "../src/subscribers/links.ts";
import { freezeDate } from "./helpers/fake-clock.ts";
import { deliveryEnv, drain, RecordingQueue, resetDeliveryTables, seedSubscribers } from "./helpers/delivery-harness.ts";
import { event, interview } from "./helpers/seed-items.ts";

const ADMIN = { Authorization: "Bearer test-admin-token-of-at-least-32-bytes", "Content-Type": "application/json" };
const DAY = 24 * 60 * 60 * 1000;

let queue: RecordingQueue;
let testEnv: Env;

beforeEach(async () => {
  queue = new RecordingQueue();
  testEnv = deliveryEnv(queue);
  await resetDeliveryTables();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function fetchWorker(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://news.example.com${path}`, init), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Opens an edition of `digest` at `at` through the operator API and delivers it. */
async function sendAt(at: number, digest: string, force = false): Promise<string> {
  freezeDate(at);
  const response = await fetchWorker("/api/sends", { method: "POST", headers: ADMIN, body: JSON.stringify({ digest, force }) });
  expect(response.status, await response.clone().text()).toBe(202);
  const { edition } = (await response.json()) as { edition: string };
  await drain(testEnv, queue);
  return edition;
}

async function mailOf(editionId: string): Promise<Map<string, OutboxMessage>> {
  const all = await listOutbox(env.DB, 500);
  return new Map(all.filter((m) => m.tags?.some((t) => t.name === "edition" && t.value === editionId)).map((m) => [m.to, m]));
}

/** Titles of the items in a copy, in order (each item's title links to its article page). */
const itemsIn = (mail: OutboxMessage | undefined) =>
  [interview, event].filter((item) => mail?.html.includes(`/articles/${item.slug}`)).map((item) => item.slug);

async function countsOf(editionId: string) {
  const response = await fetchWorker(`/api/sends/${editionId}`, { headers: ADMIN });
  return ((await response.json()) as { counts: Record<string, number> }).counts;
}

describe("each item once across digests", () => {
  const start = Date.parse("2026-07-01T02:00:00Z");

  it("a later digest leaves out what the reader got lately; nothing new, no email; one render per distinct set", async () => {
    freezeDate(start);
    await seedSubscribers([
      { email: "weekly-only@example.com", status: "active", digests: ["weekly"] },
      { email: "both@example.com", status: "active", digests: ["interview-highlights", "weekly"] },
      { email: "all@example.com", status: "active", digests: ["interview-highlights", "waic-forum", "weekly"] },
      { email: "both-too@example.com", status: "active", digests: ["interview-highlights", "weekly"] },
    ]);
    const interviews = await sendAt(start, "interview-highlights");
    const forum = await sendAt(start + 1000, "waic-forum");
    expect([...(await mailOf(interviews)).keys()].sort()).toEqual(["all@example.com", "both-too@example.com", "both@example.com"]);
    expect([...(await mailOf(forum)).keys()]).toEqual(["all@example.com"]);

    // Chose the interviews only after they went out: the weekly still brings them.
    freezeDate(start + DAY);
    await seedSubscribers([{ email: "late@example.com", status: "active", digests: ["interview-highlights", "weekly"] }]);

    const log = vi.spyOn(console, "log");
    const weekly = await sendAt(start + 5 * DAY, "weekly");
    const mail = await mailOf(weekly);
    expect(itemsIn(mail.get("weekly-only@example.com"))).toEqual([interview.slug, event.slug]);
    expect(itemsIn(mail.get("late@example.com"))).toEqual([interview.slug, event.slug]);
    expect(itemsIn(mail.get("both@example.com"))).toEqual([event.slug]);
    expect(itemsIn(mail.get("both-too@example.com"))).toEqual([event.slug]);
    // The reader's copy says why it holds less, and its subject leads with what is new to them.
    expect(mail.get("both@example.com")!.text).toContain("另有 1 篇已在近 14 天的邮件中发给你，本期不再重复。");
    expect(mail.get("both@example.com")!.subject).toContain("WAIC");
    expect(mail.get("weekly-only@example.com")!.text).not.toContain("本期不再重复");
    // Everything in it reached them already: no email at all.
    expect(mail.has("all@example.com")).toBe(false);
    expect(await countsOf(weekly)).toEqual({ queued: 0, sent: 4, failed: 0, skipped: 1 });

    const renders = log.mock.calls.flatMap(([line]) =>
      typeof line === "string" && line.includes('"event":"render"') ? [JSON.parse(line) as { edition: string }] : [],
    );
    // Five readers, two distinct sets of items: two renders.
    expect(renders.filter((r) => r.edition === weekly)).toHaveLength(2);
  });

  it("saving preferences keeps the digests kept counting from when they were chosen", async () => {
    const at = Date.parse("2026-08-03T02:00:00Z");
    freezeDate(at);
    const [id] = await seedSubscribers([{ email: "resaved@example.com", status: "active", digests: ["interview-highlights"] }]);
    await sendAt(at, "interview-highlights");

    freezeDate(at + DAY);
    const { preferencesUrl } = await recipientLinks("https://news.example.com", env.SIGNING_SECRET, id!);
    const saved = await fetchWorker(preferencesUrl.slice("https://news.example.com".length), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "action=save&digests=interview-highlights&digests=weekly",
    });
    expect(saved.status).toBe(200);

    const weekly = await sendAt(at + 3 * DAY, "weekly");
    expect(itemsIn((await mailOf(weekly)).get("resaved@example.com"))).toEqual([event.slug]);
  });

  it("a digest left after it carried an item still counts: by its one-click link or on the preferences page", async () => {
    const at = Date.parse("2026-08-17T02:00:00Z");
    freezeDate(at);
    const both = ["interview-highlights", "weekly"];
    const [clicked, saved] = await seedSubscribers([
      { email: "clicked@example.com", status: "active", digests: both },
      { email: "saved@example.com", status: "active", digests: both },
      { email: "stayed-interviews@example.com", status: "active", digests: ["interview-highlights"] },
    ]);
    await sendAt(at, "weekly");

    freezeDate(at + DAY);
    const site = "https://news.example.com";
    const oneClick = (await recipientLinks(site, env.SIGNING_SECRET, clicked!, "weekly")).unsubscribeUrl.slice(site.length);
    const form = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    expect((await fetchWorker(oneClick, { ...form, body: "List-Unsubscribe=One-Click" })).status).toBe(200);
    const preferences = (await recipientLinks(site, env.SIGNING_SECRET, saved!)).preferencesUrl.slice(site.length);
    expect((await fetchWorker(preferences, { ...form, body: "action=save&digests=interview-highlights" })).status).toBe(200);

    // The interview went out in the weekly they still received then: not again.
    const interviews = await sendAt(at + 3 * DAY, "interview-highlights");
    expect([...(await mailOf(interviews)).keys()]).toEqual(["stayed-interviews@example.com"]);
  });

  it("within 14 days even a forced resend of the same digest reaches only who has not had it", async () => {
    const at = Date.parse("2026-09-01T02:00:00Z");
    freezeDate(at);
    await seedSubscribers([{ email: "early@example.com", status: "active", digests: ["interview-highlights"] }]);
    await sendAt(at, "interview-highlights");
    freezeDate(at + 2 * DAY);
    await seedSubscribers([{ email: "new@example.com", status: "active", digests: ["interview-highlights"] }]);

    const resend = await sendAt(at + 13 * DAY, "interview-highlights", true);
    expect([...(await mailOf(resend)).keys()]).toEqual(["new@example.com"]);
    expect(await countsOf(resend)).toMatchObject({ sent: 1, skipped: 1 });
  });

  it("after 14 days an item may come again", async () => {
    const at = Date.parse("2026-10-01T02:00:00Z");
    freezeDate(at);
    await seedSubscribers([{ email: "patient@example.com", status: "active", digests: ["interview-highlights"] }]);
    await sendAt(at, "interview-highlights");

    const resend = await sendAt(at + 15 * DAY, "interview-highlights", true);
    expect(itemsIn((await mailOf(resend)).get("patient@example.com"))).toEqual([interview.slug]);
  });
});
