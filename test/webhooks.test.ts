import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { activeSubscriber, call, freshEmail, mailTo, statusOf, subscribeJson } from "./subscribe-helpers.ts";
import { seedSubscribers } from "./helpers/delivery-harness.ts";
import { bounced, complained, deliver, freshEventId, now } from "./helpers/resend-webhooks.ts";

/** Rows in the tables an event could write: events, their day counters, and subscribers by status. */
async function tableSizes(): Promise<unknown[]> {
  const { results } = await env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM subscriber_events) AS events, (SELECT SUM(n) FROM subscriber_event_days) AS days,
       (SELECT group_concat(key || '=' || n) FROM subscriber_counts) AS counts`,
  ).all();
  return results;
}

async function eventCount(email: string, type: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM subscriber_events JOIN subscribers ON subscribers.id = subscriber_id WHERE email = ? AND type = ?",
  )
    .bind(email, type)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("POST /webhooks/resend", { timeout: 20_000 }, () => {
  it("suppresses the recipient of a permanent bounce", async () => {
    const email = freshEmail("bounce");
    await activeSubscriber(email);
    const response = await deliver(bounced(email));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "suppressed" });
    expect(await statusOf(email)).toBe("suppressed");
    expect(await eventCount(email, "bounced")).toBe(1);
  });

  it("suppresses the recipient of a complaint", async () => {
    const email = freshEmail("complaint");
    await activeSubscriber(email);
    const response = await deliver(complained(email));
    expect(await response.json()).toEqual({ received: true, outcome: "suppressed" });
    expect(await statusOf(email)).toBe("suppressed");
    expect(await eventCount(email, "complained")).toBe(1);
  });

  it("logs a transient bounce without suppressing", async () => {
    const email = freshEmail("transient");
    await activeSubscriber(email);
    const response = await deliver(bounced(email, "Transient"));
    expect(await response.json()).toEqual({ received: true, outcome: "recorded" });
    expect(await statusOf(email)).toBe("active");
    expect(await eventCount(email, "bounced")).toBe(1);
  });

  it("matches the recipient by normalised address", async () => {
    const email = freshEmail("case");
    await activeSubscriber(email);
    await deliver(complained(`  ${email.replace("example.org", "Example.Org")}`));
    expect(await statusOf(email)).toBe("suppressed");
  });

  it("matches the recipient whatever the case of the whole address, and in \"Name <addr>\" form", async () => {
    const complainer = freshEmail("wh4");
    await activeSubscriber(complainer);
    const complaint = await deliver(complained(complainer.toUpperCase()));
    expect(await complaint.json()).toEqual({ received: true, outcome: "suppressed" });
    expect(await statusOf(complainer)).toBe("suppressed");

    const bouncer = freshEmail("wh5");
    await activeSubscriber(bouncer);
    const bounce = await deliver(bounced(`"读者" <${bouncer.replace(/^wh5/, "WH5")}>`));
    expect(await bounce.json()).toEqual({ received: true, outcome: "suppressed" });
    expect(await statusOf(bouncer)).toBe("suppressed");
  });

  it("changes nothing when the same event is delivered again", async () => {
    const email = freshEmail("replay");
    await activeSubscriber(email);
    const id = freshEventId();
    const payload = bounced(email);
    await deliver(payload, { id });
    // The operator lifts the suppression (say, the mailbox exists again); a replay must not undo that.
    await env.DB.prepare("UPDATE subscribers SET status = 'active' WHERE email = ?").bind(email).run();
    const before = await env.DB.prepare("SELECT * FROM subscribers WHERE email = ?").bind(email).first();

    const replay = await deliver(payload, { id });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await env.DB.prepare("SELECT * FROM subscribers WHERE email = ?").bind(email).first()).toEqual(before);
    expect(await eventCount(email, "bounced")).toBe(1);
  });

  it("accepts and records an event for an address it does not know", async () => {
    const response = await deliver(complained(freshEmail("stranger")));
    expect(await response.json()).toEqual({ received: true, outcome: "unknown-recipient" });
  });

  it("ignores event types it does not act on, writing nothing", async () => {
    const email = freshEmail("delivered");
    await activeSubscriber(email);
    const before = await tableSizes();
    for (const type of ["email.delivered", "email.opened"]) {
      const response = await deliver({ type, created_at: "", data: { to: [email] } });
      expect(await response.json()).toEqual({ received: true, outcome: "ignored" });
    }
    expect(await tableSizes()).toEqual(before);
    expect(await statusOf(email)).toBe("active");
  });

  it("applies a complaint naming 50 recipients to each of them once; a replay changes nothing", async () => {
    const emails = Array.from({ length: 50 }, (_, i) => freshEmail(`many${i}`));
    await seedSubscribers(emails.map((email) => ({ email, status: "active" as const, digests: ["weekly"] })));
    const payload = { ...complained(emails[0]!), data: { ...complained(emails[0]!).data, to: emails } };
    const id = `msg_many_${Date.now()}`;
    const response = await deliver(payload, { id });
    expect(await response.json()).toEqual({ received: true, outcome: "suppressed" });
    for (const email of emails) {
      expect(await statusOf(email), email).toBe("suppressed");
      expect(await eventCount(email, "complained"), email).toBe(1);
    }
    expect(await (await deliver(payload, { id })).json()).toEqual({ received: true, outcome: "duplicate" });
    for (const email of emails) expect(await eventCount(email, "complained"), email).toBe(1);
  });

  it("refuses an event naming more than 50 recipients with a 400 that says why, applying none of it", async () => {
    const emails = Array.from({ length: 51 }, (_, i) => freshEmail(`toomany${i}`));
    await activeSubscriber(emails[0]!);
    const before = await tableSizes();
    const response = await deliver({ ...complained(emails[0]!), data: { ...complained(emails[0]!).data, to: emails } });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("too_many_recipients");
    expect(error.message).toContain("51 recipients");
    expect(error.message).toContain("at most 50");
    expect(await tableSizes()).toEqual(before);
    expect(await statusOf(emails[0]!)).toBe("active");
  });

  it("rejects a body changed after signing with 401", async () => {
    const email = freshEmail("tampered");
    await activeSubscriber(email);
    const response = await deliver(bounced(freshEmail("other")), {
      tamper: (body) => body.replace(/"to":\["[^"]+"\]/, `"to":["${email}"]`),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_signature");
    expect(await statusOf(email)).toBe("active");
  });

  it("rejects a signature made with another secret with 401", async () => {
    const email = freshEmail("forged");
    await activeSubscriber(email);
    const response = await deliver(bounced(email), { secret: "whsec_" + btoa("some-other-secret-of-32-bytes!!!") });
    expect(response.status).toBe(401);
    expect(await statusOf(email)).toBe("active");
  });

  it("rejects a stale timestamp (a replayed capture) with 401", async () => {
    const email = freshEmail("stale");
    await activeSubscriber(email);
    const response = await deliver(bounced(email), { timestamp: now() - 10 * 60 });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("too old");
    expect(await statusOf(email)).toBe("active");
  });

  it("rejects an unsigned request with 400", async () => {
    const response = await call("/webhooks/resend", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(complained("a@example.org")),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unsigned_webhook");
  });

  it("rejects every webhook with 503 when no secret is configured", async () => {
    const response = await call(
      "/webhooks/resend",
      { method: "POST", headers: { "svix-id": "x", "svix-timestamp": "1", "svix-signature": "v1,x" }, body: "{}" },
      { RESEND_WEBHOOK_SECRET: "" },
    );
    expect(response.status).toBe(503);
  });

  it("leaves a suppressed address suppressed when it subscribes again, and mails it nothing", async () => {
    const email = freshEmail("resubscribe");
    await activeSubscriber(email);
    await deliver(complained(email));
    const mailBefore = (await mailTo(email)).length;
    expect((await subscribeJson(email)).status).toBe(202);
    expect(await statusOf(email)).toBe("suppressed");
    expect(await mailTo(email)).toHaveLength(mailBefore);
  });
});
