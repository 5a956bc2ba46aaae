import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { digests } from "../src/digests/catalog.ts";
import { importCsv as importRows, type ImportReport, type ImportResult } from "../src/subscribers/csv-import.ts";
import { parseCsv, toCsv, unescapeFormula } from "../src/subscribers/csv.ts";
import { activeSubscriber, call, freshEmail, mailTo, oneClick, subscribeJson } from "./subscribe-helpers.ts";

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const allDigestIds = digests.filter((digest) => !digest.ended).map((digest) => digest.id).sort();
const [firstDigest, secondDigest] = allDigestIds as [string, string];
const unique = () => Math.random().toString(36).slice(2, 10);

function postCsv(csv: string) {
  return call("/api/subscribers/import", { method: "POST", headers: { ...auth, "Content-Type": "text/csv" }, body: csv });
}

async function importCsv(csv: string): Promise<ImportReport> {
  const response = await postCsv(csv);
  expect(response.status).toBe(200);
  return response.json();
}

/** The export's lines (header first) whose address contains `tag`. */
async function exportLines(tag: string): Promise<string[]> {
  const response = await call("/api/subscribers.csv", { headers: auth });
  expect(response.status).toBe(200);
  const [header, ...rows] = (await response.text()).split("\r\n");
  return [header!, ...rows.filter((line) => line.includes(tag))];
}

async function storedRow(email: string) {
  return env.DB.prepare(
    `SELECT s.status, s.consent_at, s.consent_source, s.created_at, s.updated_at,
       (SELECT group_concat(digest_id, ';') FROM (SELECT digest_id FROM subscriptions WHERE subscriber_id = s.id ORDER BY digest_id)) AS digests
     FROM subscribers s WHERE email = ?`,
  )
    .bind(email)
    .first();
}

async function countLike(pattern: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE email LIKE ?").bind(pattern).first<{ n: number }>();
  return row?.n ?? 0;
}

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("POST /api/subscribers/import respects people who left", { timeout: 30_000 }, () => {
  it("creates only new subscribers and reports, by line, the ones it left exactly as they were", async () => {
    const active = freshEmail("imp-active");
    await activeSubscriber(active, [firstDigest]);
    const pending = freshEmail("imp-pending");
    await subscribeJson(pending, { digests: [firstDigest] });
    const unsubscribed = freshEmail("imp-left");
    await oneClick((await activeSubscriber(unsubscribed, [firstDigest])).unsubscribe);
    const suppressed = freshEmail("imp-bounced");
    await activeSubscriber(suppressed, [firstDigest]);
    await env.DB.prepare("UPDATE subscribers SET status = 'suppressed' WHERE email = ?").bind(suppressed).run();
    const known = [active, pending, unsubscribed, suppressed];
    const before = await Promise.all(known.map(storedRow));
    const mailBefore = await Promise.all(known.map(async (email) => (await mailTo(email)).length));

    const fresh = freshEmail("imp-new");
    const report = await importCsv(
      [
        "email,consent,digests",
        `${fresh},yes,${secondDigest}`,
        `${active.toUpperCase()},yes,${secondDigest}`,
        `${pending},yes,${secondDigest}`,
        `${unsubscribed},yes,${secondDigest}`,
        `${suppressed},yes,${secondDigest}`,
        `${unsubscribed},true,`,
      ].join("\n"),
    );
    expect(report).toEqual({
      rows: 6,
      created: 1,
      updated: 0,
      merged: 1,
      existing: 2,
      skippedUnsubscribed: 1,
      skippedSuppressed: 1,
      skipped: [
        { line: 3, status: "active" },
        { line: 4, status: "pending" },
        { line: 5, status: "unsubscribed" },
        { line: 6, status: "suppressed" },
      ],
      rejected: [],
    });
    expect(await Promise.all(known.map(storedRow))).toEqual(before);
    expect(await Promise.all(known.map(async (email) => (await mailTo(email)).length))).toEqual(mailBefore);
    expect(await storedRow(fresh)).toMatchObject({ status: "active", consent_source: "csv import", digests: secondDigest });

    // The export's layout cannot revive anyone either, whatever status its row claims.
    const again = await importCsv(`email,status,digests,consent_at\n${unsubscribed},active,${secondDigest},2026-01-01T00:00:00.000Z\n`);
    expect(again).toMatchObject({ created: 0, skippedUnsubscribed: 1, skipped: [{ line: 2, status: "unsubscribed" }] });
    expect(await storedRow(unsubscribed)).toEqual(before[2]);
  });

  it("imports its own export back unchanged, formula-like values included", async () => {
    const tag = `rt${unique()}`;
    const domain = `${tag}.example.org`;
    const csv = [
      "email,consent,digests",
      `=cmd@${domain},yes,${firstDigest}`,
      `''quoted@${domain},yes,${secondDigest}`,
      `-minus@${domain},yes,`,
      `+plus@${domain},yes,${firstDigest};${secondDigest}`,
      `reader@${tag}.例子.中国,yes,`,
      `left@${domain},yes,`,
      `bounced@${domain},yes,`,
    ].join("\n");
    // Every value that starts with a formula character or an apostrophe is written marked.
    const marked = toCsv(["email"], [["=cmd@x.org"], ["'quoted@x.org"], ["''two@x.org"], ["plain@x.org"]]);
    expect(marked).toBe("email\r\n'=cmd@x.org\r\n''quoted@x.org\r\n'''two@x.org\r\nplain@x.org\r\n");
    expect(parseCsv(marked).map((record) => unescapeFormula(record.fields[0]!))).toEqual(["email", "=cmd@x.org", "'quoted@x.org", "''two@x.org", "plain@x.org"]);

    expect((await importCsv(`${csv}\n`)).created).toBe(7);
    expect((await importCsv(`email,consent\n'''two@${domain},yes\n`)).created).toBe(1);
    await env.DB.batch([
      env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE email = ?").bind(`left@${domain}`),
      env.DB.prepare("UPDATE subscribers SET status = 'suppressed', consent_source = '=HYPERLINK(\"x\")' WHERE email = ?").bind(`bounced@${domain}`),
      env.DB.prepare("UPDATE subscribers SET consent_source = '''web form' WHERE email = ?").bind(`-minus@${domain}`),
    ]);
    await subscribeJson(`waiting@${domain}`);

    const exported = await exportLines(tag);
    expect(exported).toHaveLength(10);
    expect(exported.some((line) => line.startsWith(`'=cmd@${domain},`))).toBe(true);
    expect(exported.some((line) => line.startsWith(`''quoted@${domain},`))).toBe(true);
    expect(exported.some((line) => line.startsWith(`reader@${tag}.xn--fsqu00a.xn--fiqs8s,`))).toBe(true);

    await env.DB.prepare("DELETE FROM subscribers WHERE email LIKE ?").bind(`%${tag}%`).run();
    const report = await importCsv(`${exported.join("\r\n")}\r\n`);
    expect(report).toMatchObject({ rows: 9, created: 9, rejected: [], skipped: [] });
    expect(await exportLines(tag)).toEqual(exported);
  });

  it("after a write failing half-way says exactly what is in; sending it again finishes it (chunks of 100 rows: the 1,000,000-row import is in the bench)", async () => {
    const tag = `bulk${unique()}`;
    const count = 800;
    const lines = ["email,consent"];
    for (let i = 0; i < count; i++) lines.push(`reader${i}@${tag}.example.org,yes`);
    const csv = `${lines.join("\n")}\n`;
    // A real D1 error on the 451st address: its chunk rolls back, earlier chunks stay.
    const failing = `reader450@${tag}.example.org`;
    await env.DB.prepare(
      `CREATE TRIGGER import_fails_${tag} BEFORE INSERT ON subscribers WHEN NEW.email = '${failing}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    ).run();
    let interrupted: ImportResult;
    try {
      interrupted = await importRows(env.DB, csv, new Date(), 100);
    } finally {
      await env.DB.prepare(`DROP TRIGGER import_fails_${tag}`).run();
    }
    if (interrupted.ok || interrupted.problem !== "interrupted") throw new Error(`expected an interrupted import, got ${JSON.stringify(interrupted)}`);
    const failure = interrupted;
    expect(failure.message).toContain("injected failure");
    const imported = await countLike(`%@${tag}.example.org`);
    // Everything before the line named is in, nothing from it on.
    expect(failure.report.created).toBe(imported);
    expect(imported).toBeGreaterThan(0);
    expect(imported).toBe(400);
    expect(failure.notImportedFromLine).toBe(imported + 2);
    expect(await countLike(`reader${imported}@${tag}.example.org`)).toBe(0);
    expect(await countLike(`reader${imported - 1}@${tag}.example.org`)).toBe(1);

    const resumed = await importCsv(csv);
    // Through the route, in its own chunk size, as an operator sends it again.
    expect(resumed).toMatchObject({ rows: count, created: count - imported, existing: imported, rejected: [] });
    expect(resumed.skipped).toHaveLength(imported);
    expect(await countLike(`%@${tag}.example.org`)).toBe(count);
    const subscriptions = await env.DB.prepare(
      "SELECT count(*) AS n FROM subscriptions JOIN subscribers ON subscribers.id = subscriber_id WHERE email LIKE ?",
    )
      .bind(`%@${tag}.example.org`)
      .first<{ n: number }>();
    expect(subscriptions?.n).toBe(count * allDigestIds.length);
  });

  it("answers a failed write with 503 import_interrupted, the line it stopped at and what is in", async () => {
    const tag = `stop${unique()}`;
    const csv = `email,consent\nfirst@${tag}.example.org,yes\nsecond@${tag}.example.org,yes\n`;
    await env.DB.prepare(
      `CREATE TRIGGER import_fails_${tag} BEFORE INSERT ON subscribers WHEN NEW.email = 'second@${tag}.example.org' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    ).run();
    let response: Response;
    try {
      response = await postCsv(csv);
    } finally {
      await env.DB.prepare(`DROP TRIGGER import_fails_${tag}`).run();
    }
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string }; notImportedFromLine: number; report: ImportReport };
    expect(body.error.code).toBe("import_interrupted");
    expect(body.error.message).toContain("injected failure");
    // One chunk, one transaction: neither row is in.
    expect(body.notImportedFromLine).toBe(2);
    expect(body.report.created).toBe(0);
    expect(await countLike(`%@${tag}.example.org`)).toBe(0);
  });

  it("refuses, before writing anything, a CSV that needs more writes than one request may make", { timeout: 60_000 }, async () => {
    const tag = `huge${unique()}`;
    const lines = ["email,consent"];
    for (let i = 0; i < 225_001; i++) lines.push(`r${i}@${tag}.example.org,yes`);
    const response = await postCsv(`${lines.join("\n")}\n`);
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("import_too_large");
    expect(error.message).toContain("nothing was imported");
    expect(await countLike(`%@${tag}.example.org`)).toBe(0);
  });
});
