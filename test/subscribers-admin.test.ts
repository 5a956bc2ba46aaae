import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { digests } from "../src/digests/catalog.ts";
import { activeSubscriber, call, freshEmail, freshIp, mailTo, statusOf, subscribeJson } from "./subscribe-helpers.ts";

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const allDigestIds = digests.filter((digest) => !digest.ended).map((digest) => digest.id).sort();
const [firstDigest, secondDigest] = allDigestIds as [string, string];

interface SubscriberView {
  email: string;
  status: string;
  digests: string[];
  consentAt: string | null;
  consentSource: string | null;
}
interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  merged: number;
  skippedSuppressed: number;
  rejected: { line: number; reason: string }[];
}

function importCsv(csv: string, contentType = "text/csv") {
  return call("/api/subscribers/import", { method: "POST", headers: { ...auth, "Content-Type": contentType }, body: csv });
}

async function list(query: string): Promise<{ subscribers: SubscriberView[]; nextCursor: string | null }> {
  const response = await call(`/api/subscribers${query}`, { headers: auth });
  expect(response.status).toBe(200);
  return response.json();
}

describe("operator API authentication", () => {
  it.each([
    ["GET", "/api/subscribers"],
    ["GET", "/api/subscribers.csv"],
    ["POST", "/api/subscribers/import"],
    ["DELETE", "/api/subscribers/a@example.org"],
  ])("%s %s answers 401 without the token and with a wrong one", async (method, path) => {
    const attempts: Record<string, string>[] = [{}, { Authorization: "Bearer wrong-token" }, { Authorization: env.ADMIN_TOKEN }];
    for (const headers of attempts) {
      // Each from its own client: failed attempts are throttled per client (test/operator-auth.test.ts).
      const response = await call(path, { method, headers: { ...headers, "CF-Connecting-IP": freshIp() } });
      expect(response.status).toBe(401);
      expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
    }
  });
});

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("POST /api/subscribers/import", { timeout: 20_000 }, () => {
  it("imports consented rows as active, merges duplicates and rejects bad rows by line", async () => {
    const [a, b, c] = [freshEmail("imp-a"), freshEmail("imp-b"), freshEmail("imp-c")];
    const csv = [
      "email,consent,digests",
      `${a},yes,${firstDigest}`,
      `${b},true,`,
      `not-an-address,yes,`,
      `${c},no,`,
      `${a.replace("example.org", "EXAMPLE.ORG")},1,"${secondDigest}"`,
      `${freshEmail("imp-d")},yes,nonexistent`,
      `${c},,`,
    ].join("\r\n");
    const response = await importCsv(csv);
    expect(response.status).toBe(200);
    const report = (await response.json()) as ImportReport;
    expect(report).toMatchObject({ rows: 7, created: 2, updated: 0, merged: 1, skippedSuppressed: 0 });
    expect(report.rejected.map((row) => row.line)).toEqual([4, 5, 7, 8]);
    expect(report.rejected[0]?.reason).toBe("email has no @");
    expect(report.rejected[1]?.reason).toContain('no consent: consent is "no"');
    expect(report.rejected[2]?.reason).toContain('unknown digest "nonexistent"');

    const imported = (await list("?status=active&limit=500")).subscribers;
    expect(imported.find((s) => s.email === a)).toMatchObject({
      status: "active",
      digests: [firstDigest, secondDigest].sort(),
      consentSource: "csv import",
    });
    expect(imported.find((s) => s.email === b)?.digests).toEqual(allDigestIds);
    expect(await statusOf(c)).toBeNull();
  });

  it("counts quoted fields spanning lines by the line the row starts on", async () => {
    const report = (await (await importCsv(`email,consent,digests\n"${freshEmail("q")}",yes,"${firstDigest};\n${secondDigest}"\nbad,yes,\n`)).json()) as ImportReport;
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([{ line: 4, reason: "email has no @", readerReason: "邮箱地址缺少 @，请填写完整的地址（例如 name@qq.com）。" }]);
  });

  it.each([
    ["email\na@example.org\n", 'line 1 must be the header "email,consent"'],
    ["mail,consent\na@example.org,yes\n", 'got "mail,consent"'],
    ["email,consent,name\na@example.org,yes,A\n", 'got "email,consent,name"'],
    ['email,consent\n"a@example.org,yes\n', "a quoted field is never closed"],
    ["", "line 1 must be the header"],
  ])("rejects %j as a whole with a 400", async (csv, message) => {
    const response = await importCsv(csv);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_csv");
    expect(error.message).toContain(message);
  });

  it("requires Content-Type text/csv", async () => {
    expect((await importCsv("email,consent\n", "application/json")).status).toBe(415);
  });
});

describe("GET /api/subscribers", () => {
  it("pages with a cursor and filters by status and digest", async () => {
    const emails = Array.from({ length: 5 }, (_, i) => freshEmail(`page${i}`));
    const rows = emails.map((email, i) => `${email},yes,${i % 2 === 0 ? firstDigest : secondDigest}`);
    await importCsv(`email,consent,digests\n${rows.join("\n")}\n`);

    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const page = await list(`?digest=${firstDigest}&status=active&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.subscribers.length).toBeLessThanOrEqual(2);
      seen.push(...page.subscribers.map((s) => s.email));
      for (const s of page.subscribers) expect(s.digests).toContain(firstDigest);
      cursor = page.nextCursor;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([emails[0], emails[2], emails[4]]));
    expect(seen).not.toContain(emails[1]);

    const pending = freshEmail("list-pending");
    await subscribeJson(pending);
    const pendingOnly = await list("?status=pending&limit=500");
    expect(pendingOnly.subscribers.map((s) => s.email)).toContain(pending);
    expect(pendingOnly.subscribers.every((s) => s.status === "pending")).toBe(true);
  });

  it.each([
    ["?status=gone", "status: expected one of pending, active, unsubscribed, suppressed"],
    ["?digest=nope", "digest: unknown digest id"],
    ["?cursor=abc", "cursor: expected the nextCursor of a previous page"],
    ["?limit=0", "limit"],
    ["?limit=9999", "limit"],
  ])("rejects %s with a 400", async (query, message) => {
    const response = await call(`/api/subscribers${query}`, { headers: auth });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
  });
});

describe("GET /api/subscribers.csv", () => {
  it("exports every subscriber as CSV", async () => {
    const email = freshEmail("export");
    await importCsv(`email,consent,digests\n${email},yes,${firstDigest};${secondDigest}\n`);
    const response = await call("/api/subscribers.csv", { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain("subscribers.csv");
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("email,status,digests,consent_at,consent_source,created_at");
    const row = lines.find((line) => line.startsWith(`${email},`));
    expect(row).toMatch(new RegExp(`^${email.replace(/[.+]/g, "\\$&")},active,${[firstDigest, secondDigest].sort().join(";")},\\d{4}-.+,csv import,\\d{4}-`));
  });
});

describe("DELETE /api/subscribers/:email", () => {
  it("erases the row, subscriptions, history and local mail, keeping one anonymised event", async () => {
    const email = freshEmail("erase");
    const links = await activeSubscriber(email);
    const id = (await env.DB.prepare("SELECT id FROM subscribers WHERE email = ?").bind(email).first<{ id: number }>())!.id;
    const erasedBefore = await env.DB.prepare("SELECT count(*) AS n FROM subscriber_events WHERE type = 'erased'").first<{ n: number }>();

    const response = await call(`/api/subscribers/${encodeURIComponent(email)}`, { method: "DELETE", headers: auth });
    expect(response.status).toBe(204);

    expect(await statusOf(email)).toBeNull();
    const left = await env.DB.batch([
      env.DB.prepare("SELECT count(*) AS n FROM subscriptions WHERE subscriber_id = ?").bind(id),
      env.DB.prepare("SELECT count(*) AS n FROM subscriber_events WHERE subscriber_id = ?").bind(id),
      env.DB.prepare("SELECT count(*) AS n FROM subscriber_events WHERE detail LIKE ?").bind(`%${email}%`),
    ]);
    expect(left.map((result) => (result.results[0] as { n: number }).n)).toEqual([0, 0, 0]);
    const erased = await env.DB.prepare("SELECT * FROM subscriber_events WHERE type = 'erased' ORDER BY id DESC").all();
    expect(erased.results.length).toBe((erasedBefore?.n ?? 0) + 1);
    expect(erased.results[0]).toMatchObject({ subscriber_id: null, detail: null, external_id: null });
    expect(await mailTo(email)).toHaveLength(0);

    // The reader's old links now say the subscription is gone rather than failing.
    const page = await call(links.preferences);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("找不到这个订阅");
  });

  it("answers 404 for an unknown address", async () => {
    const response = await call(`/api/subscribers/${encodeURIComponent(freshEmail("never"))}`, { method: "DELETE", headers: auth });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("subscriber_not_found");
  });
});
