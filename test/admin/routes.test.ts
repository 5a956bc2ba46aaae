/**
 * The console's routes as a browser uses them: sign-in, session cookie, 303 to the
 * sign-in form, cross-site 403, login rate limit, and every page showing its numbers.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { items } from "../../src/content/collection.ts";
import { digests } from "../../src/digests/catalog.ts";
import { selectItems } from "../../src/digests/select.ts";
import { listOutbox } from "../../src/email/outbox-store.ts";
import type { AppEnv } from "../../src/http/app-env.ts";
import { withConfig } from "../../src/http/request-config.ts";
import { createAdmin } from "../../src/routes/admin.ts";
import { recipientLinks } from "../../src/subscribers/links.ts";
import { resetDeliveryTables, seedSubscribers } from "../helpers/delivery-harness.ts";
import { BEIJING_DATE_THEN, freezeDate } from "../helpers/fake-clock.ts";
import { formatChineseDate } from "../../src/text/beijing-time.ts";
import { complained, deliver } from "../helpers/resend-webhooks.ts";

const BASE = "http://example.com";
const digest = digests.find((d) => selectItems(d, items, null).length > 0)!;
let nextIp = 1;

function request(path: string, init: RequestInit & { cookie?: string; origin?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  const method = init.method ?? "GET";
  if (method !== "GET" && init.origin !== null) headers.set("Origin", init.origin ?? BASE);
  return exports.default.fetch(`${BASE}${path}`, { ...init, headers, redirect: "manual" });
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

async function login(ip = `198.51.100.${nextIp++}`): Promise<string> {
  const response = await request("/admin/login", { ...form({ token: "test-admin-token-of-at-least-32-bytes" }), headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": ip } });
  expect(response.status).toBe(303);
  const cookie = response.headers.get("Set-Cookie") ?? "";
  return cookie.split(";")[0] ?? "";
}

async function page(path: string, cookie: string): Promise<{ status: number; text: string }> {
  const response = await request(path, { cookie });
  return { status: response.status, text: await response.text() };
}

/**
 * An edition written straight into the schema, with its recipients in the given states:
 * one settled ledger batch per recipient, and the run's counters to match.
 */
async function seedEdition(
  id: string,
  rows: { email: string; status: "sent" | "failed" | "queued"; error?: string; kind?: "permanent" | "temporary"; at?: string }[],
  createdAt = new Date(),
) {
  await env.DB.prepare(
    `INSERT INTO editions (id, digest_id, subject, item_slugs, trigger, status, created_at) VALUES (?, ?, ?, '[]', 'manual', 'sent', ?)`,
  )
    .bind(id, digest.id, `主题 ${id}`, createdAt.toISOString())
    .run();
  const count = (status: string) => rows.filter((row) => row.status === status).length;
  await env.DB.prepare(
    `INSERT INTO delivery_runs (edition_id, site_url, fanout_completed_at, opened_at, settled_at, sent, failed, failed_permanent, queued, unsettled_batches)
     VALUES (?1, 'http://example.com', ?2, ?2, CASE WHEN ?5 = 0 THEN ?2 END, ?3, ?4, ?6, ?5, ?5)`,
  )
    .bind(id, createdAt.toISOString(), count("sent"), count("failed"), count("queued"), rows.filter((row) => row.kind === "permanent").length)
    .run();
  for (const [batch, row] of rows.entries()) {
    await env.DB.prepare(
      `INSERT INTO delivery_batches (edition_id, batch, state, recipients, size, planned, first_id, last_id, error, failure_kind, updated_at)
       SELECT ?, ?, ?, json_array(id), 1, 1, id, id, ?, ?, ? FROM subscribers WHERE email = ?`,
    )
      .bind(id, batch, row.status, row.error ?? null, row.status === "failed" ? (row.kind ?? "temporary") : null, row.at ?? createdAt.toISOString(), row.email)
      .run();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

beforeEach(async () => {
  await resetDeliveryTables();
  await seedSubscribers([
    { email: "ada@example.com", status: "active", digests: [digest.id] },
    { email: "bo@example.com", status: "active", digests: [digest.id] },
    { email: "cy@example.org", status: "pending", digests: [digest.id] },
    { email: "gone@example.com", status: "unsubscribed", digests: [digest.id] },
  ]);
});

describe("sign-in", () => {
  it("redirects every page without a session to the sign-in form (303)", async () => {
    for (const path of ["/admin", `/admin/digests/${digest.id}`, "/admin/editions/x", "/admin/subscribers", "/admin/subscribers.csv", "/admin/editions/x/progress.json"]) {
      const response = await request(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get("Location")).toBe("/admin/login");
    }
    const post = await request("/admin/editions/x/retry-failed", { method: "POST" });
    expect(post.status).toBe(303);
    expect((await request("/admin/login")).status).toBe(200);
  });

  it("sets a signed, HttpOnly, SameSite=Strict session cookie for /admin that opens the pages", async () => {
    const response = await request("/admin/login", form({ token: "test-admin-token-of-at-least-32-bytes" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/admin");
    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^admin_session=v2\.[0-9a-f]{32}\.\d+\.[0-9a-f]{64};/);
    expect(cookie).toContain("Max-Age=43200");
    expect(cookie).toContain("Path=/admin");
    expect(cookie).toContain("HttpOnly");
    // ENVIRONMENT is "test" here, i.e. not development: Secure.
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Strict");
    const dashboard = await page("/admin", cookie.split(";")[0] ?? "");
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain("<h1>概览</h1>");
  });

  it("refuses a wrong token and a forged cookie", async () => {
    const wrong = await request("/admin/login", { ...form({ token: "guess" }), headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "203.0.113.50" } });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
    expect(await wrong.text()).toContain("令牌不正确");
    const forged = `admin_session=v1.9999999999.${"0".repeat(64)}`;
    expect((await request("/admin", { cookie: forged })).status).toBe(303);
  });

  it("rate limits failed sign-ins per address (429 with Retry-After)", async () => {
    const attempt = () =>
      request("/admin/login", { ...form({ token: "guess" }), headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "203.0.113.77" } });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(403);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Even the right token waits: guessing cannot go faster than the limit.
    const right = await request("/admin/login", { ...form({ token: "test-admin-token-of-at-least-32-bytes" }), headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "203.0.113.77" } });
    expect(right.status).toBe(429);
  });

  it("signs out by clearing the cookie and ending the session: a copy of the cookie opens nothing", async () => {
    const cookie = await login();
    const other = await login();
    const response = await request("/admin/logout", { method: "POST", cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/admin/login");
    expect(response.headers.get("Set-Cookie")).toMatch(/^admin_session=;.*Max-Age=0/);
    const copied = await request("/admin", { cookie });
    expect(copied.status).toBe(303);
    expect(copied.headers.get("Location")).toBe("/admin/login");
    // Another sign-in is another session, still open.
    expect((await page("/admin", other)).status).toBe(200);
  });

  it("全部设备退出 ends every session; reader links signed before keep working", async () => {
    const here = await login();
    const elsewhere = await login();
    const [subscriberId] = await env.DB.prepare("SELECT id FROM subscribers WHERE email = 'ada@example.com'").raw<[number]>();
    const links = await recipientLinks(BASE, env.SIGNING_SECRET, subscriberId![0], digest.id);
    const dashboard = await page("/admin", here);
    expect(dashboard.text).toContain('<form method="post" action="/admin/logout-everywhere"><button class="secondary" type="submit">全部设备退出</button></form>');
    const response = await request("/admin/logout-everywhere", { method: "POST", cookie: here });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/admin/login");
    for (const cookie of [here, elsewhere]) expect((await request("/admin", { cookie })).status).toBe(303);
    for (const url of [links.unsubscribeUrl, links.preferencesUrl]) {
      const opened = await request(url.slice(BASE.length));
      expect(opened.status, url).toBe(200);
      expect(await opened.text()).toContain("ada@example.com");
    }
  });

  it("console notices come from a fixed set: text in the URL is never shown", async () => {
    const cookie = await login();
    const payload = "<b>请立即转账</b> 到 evil.example";
    for (const path of [
      `/admin/subscribers?erased=${encodeURIComponent(payload)}`,
      `/admin/subscribers?notice=${encodeURIComponent(payload)}`,
      `/admin/digests/${digest.id}?test=${encodeURIComponent(payload)}`,
      `/admin/digests/${digest.id}?notice=__proto__`,
    ]) {
      const shown = await page(path, cookie);
      expect(shown.status, path).toBe(200);
      expect(shown.text, path).not.toContain("请立即转账");
      expect(shown.text, path).not.toContain('class="notice');
    }
  });

  it("answers 403 to a cross-site POST and changes nothing", async () => {
    const cookie = await login();
    const crossSite = await request("/admin/subscribers/erase", { ...form({ email: "ada@example.com" }), cookie, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    const noOrigin = await request("/admin/subscribers/erase", { ...form({ email: "ada@example.com" }), cookie, origin: null });
    expect(noOrigin.status).toBe(403);
    const login403 = await request("/admin/login", { ...form({ token: "test-admin-token-of-at-least-32-bytes" }), origin: "https://evil.example" });
    expect(login403.status).toBe(403);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers WHERE email = 'ada@example.com'").first("n")).toBe(1);
  });

  it("keeps the operator API on its bearer token (a console cookie is not enough)", async () => {
    const cookie = await login();
    expect((await request("/api/subscribers", { cookie })).status).toBe(401);
  });
});

describe("Cloudflare Access", () => {
  it("takes a valid Cf-Access-Jwt-Assertion as a session when configured, and nothing else", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" };
    const app = new Hono<AppEnv>().use(withConfig).route("/admin", createAdmin({ accessKeys: async () => [jwk] }));
    const token = await new SignJWT({ email: "ops@example.com" })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .setIssuer("https://team.cloudflareaccess.com")
      .setAudience("console-aud")
      .setExpirationTime("5m")
      .sign(privateKey);
    const configured = { ...env, ACCESS_TEAM_DOMAIN: "team.cloudflareaccess.com", ACCESS_AUD: "console-aud" };
    const withToken = await app.request("/admin", { headers: { "Cf-Access-Jwt-Assertion": token } }, configured);
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain("<h1>概览</h1>");
    const otherAudience = { ...configured, ACCESS_AUD: "another-app" };
    expect((await app.request("/admin", { headers: { "Cf-Access-Jwt-Assertion": token } }, otherAudience)).status).toBe(303);
    // Not configured: the header means nothing.
    expect((await app.request("/admin", { headers: { "Cf-Access-Jwt-Assertion": token } }, env)).status).toBe(303);
  });
});

describe("pages", () => {
  it("/admin shows subscribers by status, growth from the event log and rates beside the limits", async () => {
    // Today's row is the route's Beijing date: fixed, so the test cannot straddle midnight.
    freezeDate();
    const sentAt = new Date(Date.now() - 60_000);
    await seedEdition("e-rates", [
      { email: "ada@example.com", status: "sent" },
      { email: "bo@example.com", status: "sent" },
    ], sentAt);
    const now = new Date().toISOString();
    // The complaint comes as Resend sends it: the webhook counts it against the edition ada was sent.
    expect(await (await deliver(complained("ada@example.com"))).json()).toEqual({ received: true, outcome: "suppressed" });
    await env.DB.prepare("INSERT INTO subscriber_events (subscriber_id, type, detail, created_at) SELECT id, 'subscribed', NULL, ? FROM subscribers WHERE email = 'cy@example.org'")
      .bind(now)
      .run();
    const cookie = await login();
    const { status, text } = await page("/admin", cookie);
    expect(status).toBe(200);
    expect(text).toMatch(/data-status="all">4</);
    // ada's complaint suppressed her.
    expect(text).toMatch(/data-status="active">1</);
    expect(text).toMatch(/data-status="suppressed">1</);
    expect(text).toMatch(/data-status="pending">1</);
    expect(text).toMatch(/data-status="unsubscribed">1</);
    // 1 complaint of 2 sent: 50%, over Gmail/Yahoo's 0.3%.
    expect(text).toContain('<td class="n over">50.00%（1）</td>');
    expect(text).toContain("e-rates：50.00%</title>");
    expect(text).toContain("Gmail/Yahoo 上限：0.30%</title>");
    expect(text).toContain(`<tr><td>${formatChineseDate(BEIJING_DATE_THEN)}</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">1</td></tr>`);
    expect(text).toContain('href="/admin/editions/e-rates"');
    expect(text).not.toMatch(/<script>|<script [^>]*>[^<]|\son[a-z]+=/i);
    expect(text).toContain('<script src="/admin/assets/console.js" defer></script>');
  });

  it("/admin/digests/:id shows the schedule, the dry run and the preview in a sandboxed frame", async () => {
    const cookie = await login();
    const { status, text } = await page(`/admin/digests/${digest.id}`, cookie);
    expect(status).toBe(200);
    expect(text).not.toContain(digest.schedule);
    expect(text).toMatch(/发送计划：每周[一二三四五六日] \d{2}:\d{2}（北京时间）/);
    expect(text).toMatch(/下次发送：北京时间 \d{4} 年/);
    expect(text).toContain('<td data-field="recipients">2</td>');
    expect(text).toContain(`<td data-field="items">${selectItems(digest, items, null).length} 篇`);
    expect(text).toMatch(/<iframe class="preview" title="下一期邮件预览" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="&lt;!DOCTYPE html/);
    expect(text).toContain('<pre class="text">');
    expect((await page("/admin/digests/nope", cookie)).status).toBe(404);
  }, 20_000);

  it("sends a test copy, then sends now only after a confirmation that repeats the recipient count", async () => {
    const cookie = await login();
    const test = await request(`/admin/digests/${digest.id}/test`, { ...form({ to: "me@example.net" }), cookie });
    expect(test.status).toBe(303);
    expect(test.headers.get("Location")).toBe(`/admin/digests/${digest.id}?notice=test-sent`);
    expect((await page(test.headers.get("Location") ?? "", cookie)).text).toContain("测试邮件已发送，请到收件箱查看。");
    expect((await listOutbox(env.DB)).map((m) => [m.to, m.subject.startsWith("[测试] ")])).toEqual([["me@example.net", true]]);
    const badTest = await request(`/admin/digests/${digest.id}/test`, { ...form({ to: "nobody" }), cookie });
    expect(badTest.status).toBe(400);
    expect(await badTest.text()).toContain("无法发送测试邮件：邮箱地址缺少 @");

    const confirm = await request(`/admin/digests/${digest.id}/send`, { ...form({}), cookie });
    expect(confirm.status).toBe(200);
    const confirmText = await confirm.text();
    expect(confirmText).toContain("确认发送给 2 位订阅者");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first("n")).toBe(0);

    // The count changed since the confirmation was shown: ask again, send nothing.
    const stale = await request(`/admin/digests/${digest.id}/send`, { ...form({ recipients: "5" }), cookie });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("收件人数已从 5 变为 2");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first("n")).toBe(0);

    const sent = await request(`/admin/digests/${digest.id}/send`, { ...form({ recipients: "2" }), cookie });
    expect(sent.status).toBe(303);
    const location = sent.headers.get("Location") ?? "";
    expect(location).toMatch(new RegExp(`^/admin/editions/${digest.id}-\\d{4}-\\d{2}-\\d{2}$`));
    let progress: { status: string; counts: Record<string, number>; total: number } | undefined;
    for (let i = 0; i < 100; i++) {
      progress = (await (await request(`${location}/progress.json`, { cookie })).json()) as typeof progress;
      if (progress?.status === "sent") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(progress).toMatchObject({ status: "sent", counts: { queued: 0, sent: 2, failed: 0, skipped: 0 }, total: 2 });

    const again = await request(`/admin/digests/${digest.id}/send`, { ...form({ recipients: "2" }), cookie });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("已经发出");

    // A second send the same day is refused at the first click, before any confirmation is asked for.
    const secondToday = await request(`/admin/digests/${digest.id}/send`, { ...form({}), cookie });
    expect(secondToday.status).toBe(409);
    const refusal = await secondToday.text();
    expect(refusal).not.toContain("确认发送给");
    expect(refusal).toMatch(/role="alert">今天的一期 [^<]+ 已经发出。如需再发一期，请勾选「强制发送」。</);
    // The dry run says so too, and the preview is that same edition.
    const { text: digestPage } = await page(`/admin/digests/${digest.id}`, cookie);
    expect(digestPage).toMatch(/data-field="refusal">不会发送：今天的一期/);
    const edition = /<tr><th>期号<\/th><td>([^<]+)<\/td>/.exec(digestPage)?.[1] ?? "";
    const date = /-(\d{4})-(\d{2})-(\d{2})(?:-\d+)?$/.exec(edition)!;
    expect(digestPage).toContain(`${Number(date[1])} 年 ${Number(date[2])} 月 ${Number(date[3])} 日`);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first("n")).toBe(1);
  }, 30_000);

  it("/admin/editions/:edition shows counts, deliveries over time and failures; retry-failed requeues them", async () => {
    const t0 = new Date(Date.now() - 120_000);
    await seedEdition("e-fail", [
      { email: "ada@example.com", status: "sent", at: new Date(t0.getTime() + 1000).toISOString() },
      { email: "bo@example.com", status: "failed", error: "500: internal_server_error", at: new Date(t0.getTime() + 2000).toISOString() },
    ], t0);
    const cookie = await login();
    const { status, text } = await page("/admin/editions/e-fail", cookie);
    expect(status).toBe(200);
    expect(text).toMatch(/data-count="sent">1</);
    expect(text).toMatch(/data-count="failed">1</);
    expect(text).toMatch(/data-count="total">2</);
    expect(text).toContain('<tr><td>bo@example.com</td><td class="prose"><details class="reason"><summary>服务商暂时出错：稍后重试即可。</summary><code>500: internal_server_error</code></details></td></tr>');
    expect(text).toMatch(/data-failed="permanent">0</);
    expect(text).toMatch(/data-failed="temporary">1</);
    expect(text).toContain('<button type="submit">重试 1 位临时失败的收件人</button>');
    // Finished with a failure: not "已发送", and nothing is waiting, so no "继续发送".
    expect(text).toContain('<b data-field="status">部分失败（1 位未送达）</b>');
    expect(text).not.toContain("继续发送");
    expect(await (await request("/admin/editions/e-fail/progress.json", { cookie })).json()).toMatchObject({ statusLabel: "部分失败（1 位未送达）" });
    expect(text.match(/<circle /g)).toHaveLength(6);
    expect(text).toContain("已发送：1</title>");
    expect(text).toContain('data-progress-url="/admin/editions/e-fail/progress.json"');

    const retried = await request("/admin/editions/e-fail/retry-failed", { method: "POST", cookie });
    expect(retried.status).toBe(303);
    expect(retried.headers.get("Location")).toBe("/admin/editions/e-fail?retried=1");
    expect((await page("/admin/editions/e-fail?retried=1", cookie)).text).toContain("已将 1 位临时失败的收件人重新排入发送队列。");
    // A count that is not a plain number is no notice at all.
    expect((await page("/admin/editions/e-fail?retried=1%20%E4%BD%8D%E8%AF%B7%E8%BD%AC%E8%B4%A6", cookie)).text).not.toContain("重新排入发送队列");
    let progress: { status: string; counts: Record<string, number> } | undefined;
    for (let i = 0; i < 100; i++) {
      progress = (await (await request("/admin/editions/e-fail/progress.json", { cookie })).json()) as typeof progress;
      if (progress?.status === "sent") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(progress).toMatchObject({ status: "sent", counts: { sent: 2, failed: 0 } });
    expect((await listOutbox(env.DB)).map((m) => m.to)).toEqual(["bo@example.com"]);
    expect((await page("/admin/editions/nope", cookie)).status).toBe(404);
  }, 30_000);

  it("resume re-enqueues through the same recovery as the API and says so", async () => {
    await seedEdition("e-resume", []);
    const cookie = await login();
    const resumed = await request("/admin/editions/e-resume/resume", { method: "POST", cookie });
    expect(resumed.status).toBe(303);
    expect(resumed.headers.get("Location")).toMatch(/^\/admin\/editions\/e-resume\?resumed=\d+$/);
    expect((await page(resumed.headers.get("Location") ?? "", cookie)).text).toContain("重新排入发送队列");
    expect((await request("/admin/editions/no-such/resume", { method: "POST", cookie })).status).toBe(404);
  });

  it("offers 继续发送 only while recipients are waiting", async () => {
    await seedEdition("e-waiting", [
      { email: "ada@example.com", status: "sent" },
      { email: "bo@example.com", status: "queued" },
    ]);
    await seedEdition("e-done", [{ email: "ada@example.com", status: "sent" }]);
    const cookie = await login();
    const waiting = (await page("/admin/editions/e-waiting", cookie)).text;
    expect(waiting).toContain("这一期还有 1 位收件人在排队");
    expect(waiting).toContain(">继续发送</button>");
    const done = (await page("/admin/editions/e-done", cookie)).text;
    expect(done).toContain('<b data-field="status">已发送</b>');
    expect(done).not.toContain("继续发送");
    // With nothing failed, retry is shown disabled, and looks it.
    expect(done).toContain('<button type="submit" disabled aria-describedby="retry-reason">重试临时失败的收件人</button>');
    expect(done).toContain('<p id="retry-reason" class="meta">没有可重试的收件人：这一期没有失败的收件人。</p>');
    expect(done).toContain("button:disabled,button[aria-disabled=true]{background:var(--line)");
  });

  it("/admin/subscribers searches, filters, pages, exports, imports and erases", async () => {
    const cookie = await login();
    const all = await page("/admin/subscribers", cookie);
    expect(all.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toHaveLength(4);
    const search = await page("/admin/subscribers?q=EXAMPLE.ORG", cookie);
    expect(search.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toEqual(["<td>cy@example.org</td>"]);
    // The start of an address or of its domain: both served by an index.
    const byAddress = await page("/admin/subscribers?q=Ad", cookie);
    expect(byAddress.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toEqual(["<td>ada@example.com</td>"]);
    const inside = await page("/admin/subscribers?q=xample", cookie);
    expect(inside.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toBeNull();
    const active = await page("/admin/subscribers?status=active", cookie);
    expect(active.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toEqual(["<td>ada@example.com</td>", "<td>bo@example.com</td>"]);
    const paged = await page("/admin/subscribers?limit=3", cookie);
    expect(paged.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toHaveLength(3);
    const next = /href="\/admin\/subscribers\?([^"]*cursor=\d+[^"]*)"/.exec(paged.text)?.[1]?.replace(/&amp;/g, "&");
    expect(next).toBeDefined();
    const second = await page(`/admin/subscribers?${next}`, cookie);
    expect(second.text.match(/<td>[a-z]+@example\.(com|org)<\/td>/g)).toEqual(["<td>gone@example.com</td>"]);
    expect((await page("/admin/subscribers?status=bogus", cookie)).status).toBe(400);

    const csv = await request("/admin/subscribers.csv", { cookie });
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect((await csv.text()).split(/\r?\n/)[0]).toBe("email,status,digests,consent_at,consent_source,created_at");

    const upload = new FormData();
    upload.set("file", new File([`email,consent\nnew@example.com,yes\nbad,yes\nada@example.com,1\nno@example.com,no\n`], "list.csv", { type: "text/csv" }));
    const imported = await request("/admin/subscribers/import", { method: "POST", body: upload, cookie });
    expect(imported.status).toBe(200);
    const report = await imported.text();
    expect(report).toContain('data-report="rows">4<');
    expect(report).toContain('data-report="created">1<');
    expect(report).toContain('data-report="existing">1<');
    expect(report).toContain('data-report="rejected">2<');
    expect(report).toMatch(/<tr><td>3<\/td><td>[^<]+<\/td><\/tr>/);

    const confirm = await page("/admin/subscribers/erase?email=new%40example.com", cookie);
    expect(confirm.text).toContain("确认删除");
    const erased = await request("/admin/subscribers/erase", { ...form({ email: "new@example.com" }), cookie });
    expect(erased.status).toBe(303);
    expect(erased.headers.get("Location")).toBe("/admin/subscribers?notice=erased");
    expect((await page("/admin/subscribers?notice=erased", cookie)).text).toContain("已删除这位订阅者。");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers WHERE email = 'new@example.com'").first("n")).toBe(0);
    expect((await request("/admin/subscribers/erase", { ...form({ email: "new@example.com" }), cookie })).status).toBe(404);
  });

  it("serves the console script as a same-origin file and links the OpenAPI document", async () => {
    const script = await request("/admin/assets/console.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("Content-Type")).toContain("text/javascript");
    expect(await script.text()).toContain("setTimeout(tick, 2000)");
    const cookie = await login();
    expect((await page("/admin", cookie)).text).toContain('href="/api/openapi.json"');
    const document = await request("/api/openapi.json");
    expect(document.status).toBe(200);
    expect(await document.json()).toMatchObject({ openapi: "3.1.0" });
  });
});
