/**
 * Every HTML page carries the one policy of src/http/security-headers.ts (CSP, nosniff,
 * no framing), pages reached with a token in their URL send no Referer, and the pages
 * themselves pass that CSP: no inline script, no event handler attributes, forms posting
 * to this site only. Pages answered from the representation store (prepared responses) too.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertOutboxMessages } from "../src/email/outbox-store.ts";
import { digests } from "../src/digests/catalog.ts";
import { representations, storeKey } from "../src/http/representation-store.ts";
import { signToken } from "../src/subscribers/tokens.ts";
import { seedSubscribers } from "./helpers/delivery-harness.ts";
import { call, freshEmail, freshIp, ORIGIN } from "./subscribe-helpers.ts";

const digest = digests[0]!;

function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values.join(" ")]),
  );
}

function expectPageHeaders(response: Response, label: string, referrerPolicy: string) {
  expect(response.headers.get("content-type"), label).toMatch(/^text\/html/);
  const csp = directives(response.headers.get("content-security-policy"));
  expect(csp.get("default-src"), label).toBe("'none'");
  expect(csp.get("script-src"), label).toBe("'self'");
  expect(csp.get("style-src"), label).toBe("'self' 'unsafe-inline'");
  expect(csp.get("img-src"), label).toBe("'self' data: https:");
  expect(csp.get("font-src"), label).toBe("'self'");
  expect(csp.get("form-action"), label).toBe("'self'");
  expect(csp.get("frame-ancestors"), label).toBe("'none'");
  expect(csp.get("base-uri"), label).toBe("'none'");
  expect(csp.get("connect-src"), label).toBe("'self'");
  expect(csp.get("frame-src"), label).toBe("'self'");
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(response.headers.get("x-frame-options"), label).toBe("DENY");
  expect(response.headers.get("referrer-policy"), label).toBe(referrerPolicy);
}

/** What the CSP above would block in a page: inline scripts, handlers, javascript: URLs, foreign forms, <base>. */
function cspViolations(page: string): string[] {
  const found: string[] = [];
  for (const tag of page.match(/<script\b[^>]*>/gi) ?? []) if (!/\bsrc=/.test(tag)) found.push(`inline script ${tag}`);
  for (const handler of page.match(/<[^>]*\son[a-z]+\s*=/gi) ?? []) found.push(`event handler ${handler}`);
  if (/javascript:/i.test(page)) found.push("javascript: URL");
  if (/<base\b/i.test(page)) found.push("<base>");
  for (const [, action] of page.matchAll(/<form\b[^>]*\saction="([^"]*)"/gi)) {
    if (!action?.startsWith("/") && !action?.startsWith(`${ORIGIN}/`)) found.push(`form posting to ${action}`);
  }
  for (const [, href] of page.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]*)"/gi)) {
    if (!href?.startsWith("/")) found.push(`stylesheet ${href}`);
  }
  return found;
}

async function expectSecurePage(response: Response, label: string, referrerPolicy = "strict-origin-when-cross-origin") {
  expectPageHeaders(response, label, referrerPolicy);
  expect(cspViolations(await response.text()), label).toEqual([]);
}

describe("security headers of HTML pages", { timeout: 30_000 }, () => {
  it.each([
    "/",
    "/articles/zhang-hongjiang-interview",
    "/tags/访谈",
    "/digests",
    `/digests/${digest.id}`,
    `/digests/${digest.id}/preview`,
    `/digests/${digest.id}/editions/next`,
    "/articles/no-such-article",
  ])("%s", async (path) => {
    await expectSecurePage(await call(path), path);
  });

  it("pages answered from the representation store, by the first middleware, carry the same headers", async () => {
    for (const path of ["/", "/articles/zhang-hongjiang-interview", "/tags/访谈"]) {
      const first = await call(path);
      expect(representations.ready(storeKey(env, new Request(`${ORIGIN}${path}`).url)), path).toBeDefined();
      const prepared = await call(path);
      await expectSecurePage(prepared, `${path} (prepared)`);
      for (const [name, value] of first.headers) expect(prepared.headers.get(name), `${path}: ${name}`).toBe(value);
      const withToken = await call(`${path}?token=x`);
      await expectSecurePage(withToken, `${path}?token= (prepared)`, "same-origin");
    }
  });

  it("pages reached with a token send no Referer to another site", async () => {
    const email = freshEmail("headers");
    const [id] = (await seedSubscribers([{ email, status: "active", digests: [digest.id] }])) as [number];
    const token = (purpose: "unsubscribe" | "preferences") => signToken(env.SIGNING_SECRET, { subscriberId: id, purpose });
    const unsubscribe = `/unsubscribe?token=${await token("unsubscribe")}`;
    const preferences = `/preferences?token=${await token("preferences")}`;
    await expectSecurePage(await call(unsubscribe), "GET /unsubscribe", "same-origin");
    await expectSecurePage(await call(preferences), "GET /preferences", "same-origin");
    await expectSecurePage(await call("/confirm?token=forged.token"), "GET /confirm (invalid)", "same-origin");
    const form = (body: string) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    await expectSecurePage(await call(preferences, form("action=bogus")), "POST /preferences (400)", "same-origin");
    await expectSecurePage(await call(unsubscribe, form("List-Unsubscribe=One-Click")), "POST /unsubscribe", "same-origin");
  });

  it("form posts' result and error pages", async () => {
    const post = (body: string, type = "application/x-www-form-urlencoded") =>
      call("/api/subscribe", { method: "POST", headers: { "Content-Type": type, "CF-Connecting-IP": freshIp() }, body });
    await expectSecurePage(await post(new URLSearchParams({ email: "not an address" }).toString()), "subscribe 400");
    await expectSecurePage(await post("x".repeat(5000)), "subscribe 413");
    await expectSecurePage(await post("--x", "multipart/form-data"), "subscribe malformed");
  });

  it("the outbox page keeps its sandboxed srcdoc frames, allowed by frame-src", async () => {
    await insertOutboxMessages(
      env.DB,
      [{ email: { from: "a@example.com", to: "b@example.org", subject: "框架", html: "<p>正文在框架里</p>", text: "正文" }, idempotencyKey: null }],
      new Date(),
    );
    const response = await call("/outbox", {}, { ENVIRONMENT: "development" });
    const page = await response.clone().text();
    expect(page).toMatch(/<iframe title="框架" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="&lt;p&gt;正文在框架里&lt;\/p&gt;"/);
    await expectSecurePage(response, "/outbox");
  });

  it("JSON answers are left alone", async () => {
    const response = await call("/api/subscribers", { headers: { Authorization: "Bearer test-admin-token-of-at-least-32-bytes" } });
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("content-security-policy")).toBeNull();
  });
});
