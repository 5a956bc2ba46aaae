/**
 * Validation at the edge (src/http/validate.ts): queries and form fields checked by the
 * route's schema before the handler runs, failures answered by one hook as the API's
 * error shape or as the form's own page, and nothing changed by a request that fails.
 * A field sent twice where one value is expected is refused, never cut to its first value.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { digests } from "../src/digests/catalog.ts";
import { signToken } from "../src/subscribers/tokens.ts";
import { seedSubscribers } from "./helpers/delivery-harness.ts";
import { call, digestsOf, freshEmail, freshIp, statusOf, subscribeForm } from "./subscribe-helpers.ts";

const [firstDigest, secondDigest] = digests.map((digest) => digest.id).sort() as [string, string];
const admin = { Authorization: "Bearer test-admin-token" };
const FORM = "application/x-www-form-urlencoded";

async function apiError(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("queries", () => {
  it("GET /api/subscribers: a filter sent twice is a 400 in the error shape naming the field", async () => {
    const response = await call("/api/subscribers?status=active&status=pending", { headers: admin });
    expect(response.status).toBe(400);
    const error = await apiError(response);
    expect(error.code).toBe("invalid_query");
    expect(error.message).toMatch(/^status: /);
  });

  it("GET /api/subscribers: the validated query is what the handler uses (limit coerced, default applied)", async () => {
    const response = await call("/api/subscribers?limit=1", { headers: admin });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { subscribers: unknown[] }).subscribers.length).toBeLessThanOrEqual(1);
  });

  it("GET /digests/:id/preview: a wrong or repeated parameter is a 400 page (not JSON: /digests is read by people) saying what is allowed", async () => {
    for (const query of ["format=pdf&theme=neon", "format=text&format=html", "theme=neon"]) {
      const response = await call(`/digests/${firstDigest}/preview?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get("content-type"), query).toMatch(/^text\/html/);
      expect(await response.text(), query).toContain("预览地址的参数不正确：format 只能是 html 或 text，theme 只能是 highlights、event、classic。");
    }
  });
});

describe("the subscribe form", () => {
  it("refuses an address sent twice with the form filled in again with what was entered", async () => {
    const first = freshEmail("twice-a");
    const response = await subscribeForm([
      ["digests-offered", "1"],
      ["email", first],
      ["email", freshEmail("twice-b")],
      ["digests", secondDigest],
    ]);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("email: required, a string");
    expect(page).toContain(`value="${first}"`);
    // Only the digest the reader checked is checked again.
    expect(page).toContain(`value="${secondDigest}" checked`);
    expect(page).not.toContain(`value="${firstDigest}" checked`);
    expect(await statusOf(first)).toBeNull();
  });

  it("takes a single checked digest (one field, not a list) as a list of one", async () => {
    const email = freshEmail("one-digest");
    const response = await subscribeForm([["digests-offered", "1"], ["email", email], ["digests", secondDigest]]);
    expect(response.status).toBe(200);
    expect(await digestsOf(email)).toEqual([secondDigest]);
  });
});

describe("the token pages' forms", () => {
  let suppressedPreferences = "";
  let activePreferences = "";
  const activeEmail = freshEmail("prefs-active");

  beforeAll(async () => {
    const [suppressed, active] = await seedSubscribers([
      { email: freshEmail("prefs-suppressed"), status: "suppressed", digests: [firstDigest] },
      { email: activeEmail, status: "active", digests: [firstDigest] },
    ]);
    const path = async (id: number | undefined) => `/preferences?token=${await signToken(env.SIGNING_SECRET, { subscriberId: id!, purpose: "preferences" })}`;
    suppressedPreferences = await path(suppressed);
    activePreferences = await path(active);
  });

  const post = (path: string, body: string, type = FORM) =>
    call(path, { method: "POST", headers: { "Content-Type": type, "CF-Connecting-IP": freshIp() }, body });

  it("POST /preferences of a suppressed address is a 410 before its body is read (even a malformed one)", async () => {
    expect((await post(suppressedPreferences, "action=save")).status).toBe(410);
    expect((await post(suppressedPreferences, "{}", "application/json")).status).toBe(410);
  });

  it("POST /preferences: digests sent once or repeated are the chosen list", async () => {
    const once = await post(activePreferences, new URLSearchParams([["action", "save"], ["digests", secondDigest]]).toString());
    expect(once.status).toBe(200);
    expect(await digestsOf(activeEmail)).toEqual([secondDigest]);
    const both = await post(activePreferences, new URLSearchParams([["action", "save"], ["digests", firstDigest], ["digests", secondDigest]]).toString());
    expect(both.status).toBe(200);
    expect(await digestsOf(activeEmail)).toEqual([firstDigest, secondDigest]);
  });
});

describe("webhooks", () => {
  it("an unsigned webhook is refused before its body is read: 400 unsigned_webhook, not the body's 415", async () => {
    const response = await call("/webhooks/resend", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "not json" });
    expect(response.status).toBe(400);
    expect((await apiError(response)).code).toBe("unsigned_webhook");
  });
});

describe("the console's forms", () => {
  const BASE = "http://example.com";
  let nextIp = 1;

  function request(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("Cookie", init.cookie);
    headers.set("Origin", BASE);
    headers.set("CF-Connecting-IP", `203.0.113.${nextIp++}`);
    return exports.default.fetch(`${BASE}${path}`, { ...init, headers, redirect: "manual" });
  }
  const post = (path: string, fields: [string, string][], cookie?: string) =>
    request(path, { method: "POST", headers: { "Content-Type": FORM }, body: new URLSearchParams(fields).toString(), ...(cookie ? { cookie } : {}) });

  async function login(): Promise<string> {
    const response = await post("/admin/login", [["token", "test-admin-token"]]);
    expect(response.status).toBe(303);
    return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  }

  it("a token sent twice is a 400 sign-in page naming the field, and no session", async () => {
    const response = await post("/admin/login", [["token", "test-admin-token"], ["token", "guess"]]);
    expect(response.status).toBe(400);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(await response.text()).toContain("token: expected one value, got several");
  });

  it("a recipient count that is not a number is a 400 page and opens no edition", async () => {
    const cookie = await login();
    const response = await post(`/admin/digests/${firstDigest}/send`, [["recipients", "abc"]], cookie);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("recipients: expected a number");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first("n")).toBe(0);
  });

  it("an unknown digest is a 404 page before the form is looked at", async () => {
    const cookie = await login();
    expect((await post("/admin/digests/nope/send", [["recipients", "abc"]], cookie)).status).toBe(404);
    expect((await post("/admin/digests/nope/test", [["to", "nobody"]], cookie)).status).toBe(404);
  });

  it("erasing with the address sent twice is a 400 that erases no one", async () => {
    const cookie = await login();
    const email = freshEmail("erase-twice");
    await seedSubscribers([{ email, status: "active", digests: [firstDigest] }]);
    const response = await post("/admin/subscribers/erase", [["email", email], ["email", "other@example.com"]], cookie);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("email: expected one value, got several");
    expect(await statusOf(email)).toBe("active");
  });

  it("a subscriber filter sent twice is a 400 console page with the search kept", async () => {
    const cookie = await login();
    const response = await request("/admin/subscribers?q=example&status=active&status=bogus", { cookie });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("筛选条件有误：status: ");
    expect(page).toContain('value="example"');
  });

  it("an upload whose file field is text, not a file, asks for the CSV file", async () => {
    const cookie = await login();
    const upload = new FormData();
    upload.set("file", "email,consent\nx@example.com,yes\n");
    const response = await request("/admin/subscribers/import", { method: "POST", body: upload, cookie });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("请选择要导入的 CSV 文件。");
  });
});
