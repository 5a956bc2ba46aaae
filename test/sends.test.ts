/**
 * POST /api/sends, GET /api/sends/:edition and retry-failed as an operator uses them:
 * auth, validation, dry runs, test copies, and a real send through the Worker's own
 * local queue into the outbox (no RESEND_API_KEY in the test env).
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { selectItems } from "../src/digests/select.ts";
import { listOutbox } from "../src/email/outbox-store.ts";
import { resetDeliveryTables, seedSubscribers } from "./helpers/delivery-harness.ts";
import { BEIJING_DATE_THEN, freezeDate } from "./helpers/fake-clock.ts";

const digest = digests.find((d) => selectItems(d, items, null).length > 0)!;

function post(path: string, body: unknown, token = "test-admin-token-of-at-least-32-bytes"): Promise<Response> {
  return exports.default.fetch(`http://example.com${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function get(path: string): Promise<Response> {
  return exports.default.fetch(`http://example.com${path}`, { headers: { Authorization: "Bearer test-admin-token-of-at-least-32-bytes" } });
}

async function count(table: string): Promise<number> {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;
}

afterEach(() => {
  vi.useRealTimers();
});

beforeEach(async () => {
  await resetDeliveryTables();
  await seedSubscribers([
    { email: "ada@example.com", status: "active", digests: [digest.id] },
    { email: "bo@example.com", status: "active", digests: [digest.id] },
    { email: "gone@example.com", status: "unsubscribed", digests: [digest.id] },
  ]);
});

describe("POST /api/sends", () => {
  it("requires the operator token", async () => {
    const response = await post("/api/sends", { digest: digest.id }, "wrong");
    expect(response.status).toBe(401);
    expect(await count("editions")).toBe(0);
  });

  it.each([
    ["no digest", {}, "digest:"],
    ["digest not a string", { digest: 7 }, "digest: expected a digest id"],
    ["dryRun not a boolean", { digest: digest.id, dryRun: "yes" }, "dryRun: expected true or false"],
    ["testTo not an address", { digest: digest.id, testTo: "nobody" }, "testTo: email has no @"],
    ["unknown field", { digest: digest.id, forse: true }, "forse"],
  ])("answers 400 naming the field: %s", async (_, body, message) => {
    const response = await post("/api/sends", body);
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("invalid_body");
    expect(error.message).toContain(message);
    expect(await count("editions")).toBe(0);
  });

  it("answers 404 for an unknown digest", async () => {
    const response = await post("/api/sends", { digest: "no-such-digest" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "digest_not_found" } });
  });

  it("dryRun describes the edition and sends nothing", async () => {
    const response = await post("/api/sends", { digest: digest.id, dryRun: true });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subject: string; recipients: number; items: { slug: string; url: string }[]; previewUrl: string };
    expect(body.recipients).toBe(2);
    // The subject the emails will carry: the digest's name, then the lead cut at its comma.
    expect(body.subject).toBe(`${digest.title}｜${selectItems(digest, items, null)[0]!.title.split("，")[0]}`);
    expect(body.items.map((i) => i.slug)).toEqual(selectItems(digest, items, null).map((i) => i.slug));
    expect(body.items[0]?.url).toBe(`http://example.com/articles/${body.items[0]?.slug}`);
    expect(body.previewUrl).toBe(`http://example.com/digests/${digest.id}/preview`);
    expect(await count("editions")).toBe(0);
    expect(await count("outbox")).toBe(0);
  });

  it("testTo sends one copy marked as a test, touching no ledger", async () => {
    const response = await post("/api/sends", { digest: digest.id, testTo: "editor@example.com" });
    expect(response.status).toBe(200);
    const [copy, ...others] = await listOutbox(env.DB);
    expect(others).toHaveLength(0);
    expect(copy?.to).toBe("editor@example.com");
    expect(copy?.subject.startsWith("[测试] ")).toBe(true);
    expect(copy?.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(await count("editions")).toBe(0);
    expect(await count("delivery_batches")).toBe(0);
    expect(await count("delivery_runs")).toBe(0);
  });

  it("sends through the Worker's own queue into the outbox, once per active subscriber", async () => {
    // The second send must fall on the same Beijing day as the first: the date is fixed.
    freezeDate();
    const response = await post("/api/sends", { digest: digest.id });
    expect(response.status).toBe(202);
    const { edition } = (await response.json()) as { edition: string };
    expect(edition).toBe(`${digest.id}-${BEIJING_DATE_THEN}`);

    // The local queue calls the Worker's queue handler on its own; wait for it.
    let state: { status: string; counts: Record<string, number> } | undefined;
    for (let i = 0; i < 100; i++) {
      state = (await (await get(`/api/sends/${edition}`)).json()) as typeof state;
      if (state?.status === "sent") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toEqual({
      edition,
      digest: digest.id,
      trigger: "manual",
      status: "sent",
      error: null,
      subject: expect.any(String),
      items: expect.any(Array),
      createdAt: expect.any(String),
      completedAt: expect.any(String),
      counts: { queued: 0, sent: 2, failed: 0, skipped: 0 },
      failedByKind: { permanent: 0, temporary: 0 },
      bounced: 0,
      complained: 0,
      failures: [],
    });
    const outbox = await listOutbox(env.DB);
    expect(outbox.map((m) => m.to).sort()).toEqual(["ada@example.com", "bo@example.com"]);
    expect(outbox[0]?.headers?.["List-Unsubscribe"]).toMatch(new RegExp(`^<http://example\\.com/unsubscribe\\?digest=${digest.id}&token=.+>$`));

    const again = await post("/api/sends", { digest: digest.id });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ edition });
  }, 20_000);

  it("answers 409 when nothing is new since the last edition, unless forced", async () => {
    expect(digest.sendWhenEmpty).toBe(false);
    await env.DB.prepare(
      `INSERT INTO editions (id, digest_id, subject, item_slugs, trigger, status, created_at)
       VALUES ('earlier', ?, 's', '[]', 'manual', 'sent', ?)`,
    )
      .bind(digest.id, new Date().toISOString())
      .run();
    const response = await post("/api/sends", { digest: digest.id });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "nothing_to_send" } });
    const forced = await post("/api/sends", { digest: digest.id, force: true });
    expect(forced.status).toBe(202);
  });
});

describe("GET /api/sends/:edition and retry-failed", () => {
  it("answer 404 for an unknown edition", async () => {
    expect((await get("/api/sends/nope")).status).toBe(404);
    expect((await post("/api/sends/nope/retry-failed", {})).status).toBe(404);
  });
});
