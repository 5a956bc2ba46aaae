/**
 * Guessing the operator token: failed attempts are counted per client (IPv6 per /64)
 * across the API and the console together, and in production a weak ADMIN_TOKEN or
 * SIGNING_SECRET closes every operator route (503 naming the setting) while readers'
 * routes keep working.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEV_SIGNING_SECRET } from "../src/config.ts";
import { FAILED_AUTH_LIMIT } from "../src/subscribers/operator-throttle.ts";
import { call } from "./subscribe-helpers.ts";

const bearer = (token: string, ip: string) => ({ headers: { Authorization: `Bearer ${token}`, "CF-Connecting-IP": ip } });

const consoleSignIn = (token: string, ip: string, overrides: Partial<Env> = {}) =>
  call(
    "/admin/login",
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://example.com", "CF-Connecting-IP": ip },
      body: new URLSearchParams({ token }).toString(),
      redirect: "manual",
    },
    overrides,
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe("failed operator sign-ins", () => {
  it(`after ${FAILED_AUTH_LIMIT.limit} wrong Bearer tokens the right one gets 429 with Retry-After, on the API and the console alike`, async () => {
    const ip = "203.0.113.201";
    for (let i = 0; i < FAILED_AUTH_LIMIT.limit; i++) {
      expect((await call("/api/subscribers", bearer(`guess-${i}`, ip))).status).toBe(401);
    }
    const right = await call("/api/subscribers", bearer(env.ADMIN_TOKEN, ip));
    expect(right.status).toBe(429);
    const retryAfter = Number(right.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(FAILED_AUTH_LIMIT.windowSeconds);
    expect(((await right.json()) as { error: { code: string } }).error.code).toBe("too_many_failed_attempts");
    // The console counts the same failures: its sign-in form waits too, right token or not.
    const signIn = await consoleSignIn(env.ADMIN_TOKEN, ip);
    expect(signIn.status).toBe(429);
    expect(signIn.headers.get("Retry-After")).not.toBeNull();
    // Another client is not held back.
    expect((await call("/api/subscribers", bearer(env.ADMIN_TOKEN, "203.0.113.202"))).status).toBe(200);
  });

  it("failures on the console's sign-in form count against the API too", async () => {
    const ip = "203.0.113.203";
    for (let i = 0; i < FAILED_AUTH_LIMIT.limit; i++) expect((await consoleSignIn(`guess-${i}`, ip)).status).toBe(403);
    expect((await call("/api/subscribers", bearer(env.ADMIN_TOKEN, ip))).status).toBe(429);
  });

  it("successful requests are not counted: an operator's own traffic never locks them out", async () => {
    const ip = "203.0.113.204";
    for (let i = 0; i < FAILED_AUTH_LIMIT.limit * 2; i++) {
      expect((await call("/api/subscribers", bearer(env.ADMIN_TOKEN, ip))).status).toBe(200);
    }
  });

  it("IPv6 addresses in one /64 are one client; the next /64 is another", async () => {
    for (let i = 0; i < FAILED_AUTH_LIMIT.limit; i++) {
      expect((await call("/api/subscribers", bearer("guess", `2001:db8:77:1:${i.toString(16)}::${i + 1}`))).status).toBe(401);
    }
    expect((await call("/api/subscribers", bearer(env.ADMIN_TOKEN, "2001:DB8:77:1:ffff:ffff:ffff:fffe"))).status).toBe(429);
    expect((await call("/api/subscribers", bearer(env.ADMIN_TOKEN, "2001:0db8:0077:0001::9"))).status).toBe(429);
    expect((await call("/api/subscribers", bearer(env.ADMIN_TOKEN, "2001:db8:77:2::1"))).status).toBe(200);
  });
});

describe("weak secrets in production", () => {
  const cases: [string, Partial<Env>, string][] = [
    ["a 1-byte ADMIN_TOKEN", { ADMIN_TOKEN: "a" }, "ADMIN_TOKEN is shorter than 32 bytes"],
    ["a 1-byte SIGNING_SECRET", { SIGNING_SECRET: "b" }, "SIGNING_SECRET is shorter than 32 bytes"],
    // 32 bytes long, but published in the README.
    ["the development SIGNING_SECRET", { SIGNING_SECRET: DEV_SIGNING_SECRET }, "SIGNING_SECRET is a development default"],
  ];

  it.each(cases)("%s closes the operator API and the console with a 503 naming it, and logs it", async (_label, weak, named) => {
    const overrides = { ENVIRONMENT: "production", ...weak };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const token = weak.ADMIN_TOKEN ?? env.ADMIN_TOKEN;
    const api = await call("/api/subscribers", bearer(token, "203.0.113.210"), overrides);
    expect(api.status).toBe(503);
    const body = (await api.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("weak_secret");
    expect(body.error.message).toContain(named);
    for (const path of ["/admin/login", "/admin"]) {
      const page = await call(path, { redirect: "manual" }, overrides);
      expect(page.status, path).toBe(503);
      expect(await page.text(), path).toContain(named);
    }
    expect((await consoleSignIn(token, "203.0.113.210", overrides)).status).toBe(503);
    const logged = errors.mock.calls.map((args) => String(args[0]));
    expect(logged.some((line) => line.includes(`"event":"operator-route-closed"`) && line.includes(named))).toBe(true);
    // Readers' routes keep working.
    for (const path of ["/", "/digests", "/rss.xml"]) expect((await call(path, {}, overrides)).status, path).toBe(200);
  });

  it("development keeps its documented defaults", async () => {
    const overrides = { ENVIRONMENT: "development", ADMIN_TOKEN: "", SIGNING_SECRET: "" };
    expect((await call("/api/subscribers", bearer("dev-admin-token", "203.0.113.211"), overrides)).status).toBe(200);
  });
});
