import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hitRateLimit } from "../src/subscribers/rate-limit.ts";
import { ADDRESS_LIMIT, IP_LIMIT } from "../src/subscribers/subscription-flow.ts";
import { freshEmail, freshIp, mailTo, subscribeForm, subscribeJson } from "./subscribe-helpers.ts";

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("rate limiting POST /api/subscribe", { timeout: 20_000 }, () => {
  it(`allows ${IP_LIMIT.limit} requests per client IP, then answers 429 with Retry-After`, async () => {
    const ip = freshIp();
    for (let i = 0; i < IP_LIMIT.limit; i++) {
      expect((await subscribeJson(freshEmail("ip"), {}, ip)).status).toBe(202);
    }
    const email = freshEmail("ip-over");
    const limited = await subscribeJson(email, {}, ip);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(IP_LIMIT.windowSeconds);
    const { error } = (await limited.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("rate_limited");
    expect(error.message).toContain(`retry in ${retryAfter} seconds`);
    expect(await mailTo(email)).toHaveLength(0);

    // Another client is not affected.
    expect((await subscribeJson(freshEmail("ip-other"))).status).toBe(202);
  });

  it(`sends one address at most ${ADDRESS_LIMIT.limit} confirmations an hour, whatever the IP`, async () => {
    const email = freshEmail("address");
    for (let i = 0; i < ADDRESS_LIMIT.limit; i++) expect((await subscribeJson(email)).status).toBe(202);
    const limited = await subscribeJson(email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeLessThanOrEqual(ADDRESS_LIMIT.windowSeconds);
    expect(await mailTo(email)).toHaveLength(ADDRESS_LIMIT.limit);
    // The same address in another spelling is the same address.
    expect((await subscribeJson(email.replace("example.org", "EXAMPLE.org"))).status).toBe(429);
  });

  it("counts Gmail's dot and googlemail.com variants as one inbox, and stores each address as typed", async () => {
    const inbox = `reader${Date.now()}`;
    const variants = [`${inbox}@gmail.com`, `${inbox.slice(0, 3)}.${inbox.slice(3)}@gmail.com`, `${inbox}+news@googlemail.com`];
    for (const email of variants) expect((await subscribeJson(email)).status).toBe(202);
    const fourth = `${inbox.split("").join(".")}@GoogleMail.com`;
    expect((await subscribeJson(fourth)).status).toBe(429);
    expect(await mailTo(fourth.toLowerCase())).toHaveLength(0);
    const stored = await env.DB.prepare("SELECT email FROM subscribers WHERE email IN (?, ?, ?, ?) ORDER BY id")
      .bind(...variants, fourth.toLowerCase())
      .all<{ email: string }>();
    expect(stored.results.map((row) => row.email)).toEqual(variants);
    // Other domains keep their dots: a.b@example.org and ab@example.org are two inboxes.
    const dotted = freshEmail("x.y");
    for (let i = 0; i < ADDRESS_LIMIT.limit; i++) expect((await subscribeJson(dotted)).status).toBe(202);
    expect((await subscribeJson(dotted.replace("x.y", "xy"))).status).toBe(202);
  });

  it(`counts every address in one IPv6 /64 as one client: ${IP_LIMIT.limit} accepted, then 429`, async () => {
    const network = "2001:db8:5e:17";
    const statuses: number[] = [];
    for (let i = 1; i <= IP_LIMIT.limit + 2; i++) statuses.push((await subscribeJson(freshEmail("v6"), {}, `${network}:${i.toString(16)}::${i}`)).status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(IP_LIMIT.limit);
    expect(statuses.slice(IP_LIMIT.limit)).toEqual([429, 429]);
    expect((await subscribeJson(freshEmail("v6-next"), {}, "2001:db8:5e:18::1")).status).toBe(202);
  });

  it("answers a limited form post with a page and Retry-After", async () => {
    const ip = freshIp();
    for (let i = 0; i < IP_LIMIT.limit; i++) await subscribeForm([["email", freshEmail("form-ip")]], ip);
    const limited = await subscribeForm([["email", freshEmail("form-ip")]], ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await limited.text()).toContain("请求太频繁");
  });

  it("stores no address: counter keys are an IP or a keyed hash", async () => {
    const email = freshEmail("private");
    await subscribeJson(email, {}, "203.0.113.77");
    const { results } = await env.DB.prepare("SELECT key FROM rate_limits").all<{ key: string }>();
    expect(results.map((row) => row.key)).toContain("ip:203.0.113.77");
    expect(results.some((row) => row.key.includes(email) || row.key.includes("example.org"))).toBe(false);
  });

  it("starts counting afresh in the next window", async () => {
    const rule = { key: "test:window", limit: 1, windowSeconds: 60 };
    const start = new Date("2026-01-01T00:00:10Z");
    expect(await hitRateLimit(env.DB, rule, start)).toEqual({ ok: true });
    expect(await hitRateLimit(env.DB, rule, new Date("2026-01-01T00:00:40Z"))).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(await hitRateLimit(env.DB, rule, new Date("2026-01-01T00:01:00Z"))).toEqual({ ok: true });
  });
});
