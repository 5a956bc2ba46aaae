import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { listOutbox } from "../src/email/outbox-store.ts";
import migration from "../migrations/0006_canonical_emails.sql?raw";
import { ADDRESS_LIMIT } from "../src/subscribers/subscription-flow.ts";
import { mailTo, statusOf, subscribeJson } from "./subscribe-helpers.ts";

const unique = () => Math.random().toString(36).slice(2, 10);

async function rowsLike(pattern: string) {
  const { results } = await env.DB.prepare("SELECT id, email, status FROM subscribers WHERE lower(email) LIKE ? ORDER BY id")
    .bind(pattern)
    .all<{ id: number; email: string; status: string }>();
  return results;
}

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("one mailbox, one identity", { timeout: 20_000 }, () => {
  it("treats addresses case-insensitively and counts the rate limit per mailbox, +tags included", async () => {
    const domain = `${unique()}.example.org`;
    const spellings = [
      `VICTIM@${domain}`,
      `Victim@${domain.toUpperCase()}`,
      `victim@${domain}`,
      `victim+1@${domain}`,
      `Victim+2@${domain}`,
      `victim+3@${domain}`,
      `VICTIM+4@${domain}`,
    ];
    const statuses: number[] = [];
    for (const spelling of spellings) statuses.push((await subscribeJson(spelling)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429, 429]);

    const inbox = (await listOutbox(env.DB, 1000)).filter((message) => message.to.endsWith(`@${domain}`));
    expect(inbox).toHaveLength(ADDRESS_LIMIT.limit);
    // The three spellings of one address are one subscriber, stored in canonical form.
    expect(await rowsLike(`victim@${domain}`)).toEqual([expect.objectContaining({ email: `victim@${domain}`, status: "pending" })]);
  });

  it("accepts an IDN domain, stores and mails its ASCII form", async () => {
    const local = `reader-${unique()}`;
    expect((await subscribeJson(`${local}@例子.中国`)).status).toBe(202);
    const ascii = `${local}@xn--fsqu00a.xn--fiqs8s`;
    expect(await statusOf(ascii)).toBe("pending");
    expect(await mailTo(ascii)).toHaveLength(1);
    // Full-width letters are the same domain once mapped.
    expect((await subscribeJson(`${local}@ＥＸＡＭＰＬＥ.org`)).status).toBe(202);
    expect(await statusOf(`${local}@example.org`)).toBe("pending");
  });

  it.each([
    ["用户@example.org", "the part before the @ contains non-ASCII characters"],
    ["reader@xn--a.com", 'domain "xn--a.com" cannot be converted to an ASCII (IDNA) host name'],
    ["reader@exa%41mple.com", "is not a valid host name"],
    ["reader@0x7f.1", "is not a valid host name"],
    ["reader@example.org:25", "is not a valid host name"],
    // A NUL byte is an invalid character, wherever it is, not "non-ASCII".
    ["rea\u0000der@example.org", "invalid character (control character U+0000)"],
    ["reader@exam\u0000ple.org", "invalid character (control character U+0000)"],
    ["reader@example.org\u0000", "invalid character (control character U+0000)"],
    ["rea\u007fder@example.org", "invalid character (control character U+007F)"],
  ])("answers %j with a 400 that says why", async (email, reason) => {
    const response = await subscribeJson(email);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain(reason);
    // A NUL byte (any control character) is never called "non-ASCII": it is ASCII, and not allowed.
    if (/[\u0000-\u001f\u007f]/.test(email)) expect(error.message).not.toContain("non-ASCII");
  });
});

/**
 * Runs migration 0006 again, over rows written the way the code before it wrote them. It
 * moves the old per-recipient ledger too, which migration 0008 replaced: an empty one
 * stands in for it while it runs.
 */
async function runCanonicalisation(): Promise<void> {
  const statements = migration
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(";")
    .map((sql) => sql.trim())
    .filter(Boolean);
  await env.DB.batch([
    env.DB.prepare("CREATE TABLE deliveries (edition_id TEXT NOT NULL, subscriber_id INTEGER NOT NULL, PRIMARY KEY (edition_id, subscriber_id))"),
    ...statements.map((sql) => env.DB.prepare(sql)),
    env.DB.prepare("DROP TABLE deliveries"),
  ]);
}

describe("migration 0006: canonical emails", () => {
  it("folds case duplicates into the most protective one, moving their history, and lower-cases the rest", async () => {
    const domain = `${unique()}.example.org`;
    const at = new Date().toISOString();
    const insert = (email: string, status: string) =>
      env.DB.prepare(
        "INSERT INTO subscribers (email, status, consent_source, created_at, updated_at) VALUES (?, ?, 'api', ?, ?) RETURNING id",
      )
        .bind(email, status, at, at)
        .first<{ id: number }>()
        .then((row) => row!.id);
    const rows = {
      pending: await insert(`Dup@${domain}`, "pending"),
      active: await insert(`dup@${domain}`, "active"),
      suppressed: await insert(`DUP@${domain}`, "suppressed"),
      activeTwin: await insert(`Two@${domain}`, "active"),
      unsubscribedTwin: await insert(`two@${domain}`, "unsubscribed"),
      solo: await insert(`Solo.Reader@${domain}`, "active"),
    };
    for (const id of Object.values(rows)) {
      await env.DB.batch([
        env.DB.prepare("INSERT INTO subscriber_events (subscriber_id, type, created_at) VALUES (?, 'subscribed', ?)").bind(id, at),
        env.DB.prepare("INSERT INTO subscriptions (subscriber_id, digest_id, created_at) VALUES (?, 'weekly', ?)").bind(id, at),
      ]);
    }

    await runCanonicalisation();

    expect(await rowsLike(`%@${domain}`)).toEqual([
      { id: rows.suppressed, email: `dup@${domain}`, status: "suppressed" },
      { id: rows.unsubscribedTwin, email: `two@${domain}`, status: "unsubscribed" },
      { id: rows.solo, email: `solo.reader@${domain}`, status: "active" },
    ]);
    const events = await env.DB.prepare("SELECT subscriber_id AS id, count(*) AS n FROM subscriber_events WHERE subscriber_id IN (?, ?, ?) GROUP BY subscriber_id ORDER BY subscriber_id")
      .bind(rows.suppressed, rows.unsubscribedTwin, rows.solo)
      .all<{ id: number; n: number }>();
    expect(events.results).toEqual([
      { id: rows.suppressed, n: 3 },
      { id: rows.unsubscribedTwin, n: 2 },
      { id: rows.solo, n: 1 },
    ]);
    const orphans = await env.DB.prepare("SELECT count(*) AS n FROM subscriptions WHERE subscriber_id IN (?, ?, ?)")
      .bind(rows.pending, rows.active, rows.activeTwin)
      .first<{ n: number }>();
    expect(orphans?.n).toBe(0);
  });
});
