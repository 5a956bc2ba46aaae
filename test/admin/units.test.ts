/** Pure parts of the console: session cookie, plots, Access tokens, the same-origin check, the OpenAPI document. */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { sendRequest, subscriberListQuery } from "../../src/http/operator-schemas.ts";
import {
  ACCESS_KEYS_TTL_MS,
  accessSettings,
  createRemoteAccessKeys,
  verifyAccessToken,
  type AccessKeySource,
} from "../../src/admin/access.ts";
import { barChart, lineChart, niceMax } from "../../src/admin/plots.ts";
import { isSameOrigin } from "../../src/admin/request-origin.ts";
import { SESSION_TTL_SECONDS, signSession, verifySession } from "../../src/admin/session.ts";
import { purposeKey } from "../../src/subscribers/secret-keys.ts";
import { toHex } from "../../src/text/hex.ts";
import { buildOperatorApiDocument, requestSchema } from "../../src/http/openapi.ts";
import { feedsAdmin } from "../../src/routes/feeds-admin.ts";
import { sends } from "../../src/routes/sends.ts";
import { subscribersAdmin, subscribersCsvExport } from "../../src/routes/subscribers-admin.ts";
import { z } from "zod";

describe("session cookie", () => {
  const now = new Date("2026-11-29T10:00:00Z");

  it("is valid until it expires 12 hours later", async () => {
    const session = await signSession("secret", now);
    const expiresAt = now.getTime() / 1000 + SESSION_TTL_SECONDS;
    expect(session.expiresAt).toBe(expiresAt);
    expect(await verifySession("secret", session.cookie, now)).toEqual({ ok: true, id: session.id, expiresAt });
    const almost = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000 - 1000);
    expect((await verifySession("secret", session.cookie, almost)).ok).toBe(true);
    const later = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
    expect(await verifySession("secret", session.cookie, later)).toEqual({ ok: false, reason: "expired" });
  });

  it("names a fresh random session each time", async () => {
    const [a, b] = await Promise.all([signSession("secret", now), signSession("secret", now)]);
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.id).not.toBe(b.id);
  });

  it("rejects a tampered expiry or id, another key and garbage", async () => {
    const { cookie } = await signSession("secret", now);
    const [version, id, expiry, mac] = cookie.split(".");
    expect(await verifySession("secret", `${version}.${id}.${Number(expiry) + 86_400}.${mac}`, now)).toEqual({ ok: false, reason: "forged" });
    expect(await verifySession("secret", `${version}.${"0".repeat(32)}.${expiry}.${mac}`, now)).toEqual({ ok: false, reason: "forged" });
    expect(await verifySession("other-secret", cookie, now)).toEqual({ ok: false, reason: "forged" });
    for (const bad of [undefined, "", "v1.123", "v2.1.abc", `${cookie}x`]) {
      expect((await verifySession("secret", bad, now)).ok).toBe(false);
    }
  });
});

describe("keys derived per purpose", () => {
  const sign = async (key: CryptoKey) => toHex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("same input")));

  it("give a different HMAC for each purpose, and none equal to the secret used as a key", async () => {
    const macs = await Promise.all([
      sign(await purposeKey("secret", "reader-links")),
      sign(await purposeKey("secret", "console-sessions")),
      sign(await purposeKey("secret", "rate-limit-pseudonyms")),
      sign(await crypto.subtle.importKey("raw", new TextEncoder().encode("secret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])),
    ]);
    expect(new Set(macs).size).toBe(4);
    // Derived, so stable: the same secret and purpose always give the same key.
    expect(await sign(await purposeKey("secret", "reader-links"))).toBe(macs[0]);
  });
});

describe("plots", () => {
  const labels = ["11-27", "11-28", "11-29"];
  const series = [
    { name: "订阅", values: [3, 0, 7] },
    { name: "退订", values: [1, 2, 0] },
  ];

  it("draws one line per series and one point per value, each titled with its exact number", () => {
    const svg = lineChart({ title: "增长", labels, series });
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain("<title>11-29 · 订阅：7</title>");
    expect(svg).toContain("<title>11-28 · 退订：2</title>");
    expect(svg).toContain("var(--plot-1)");
    expect(svg).toContain("var(--plot-2)");
    // Colours only through CSS variables, so the stylesheet's dark palette applies.
    expect(svg).not.toMatch(/#[0-9a-f]{3,6}\b/i);
  });

  it("draws one bar per entry, the limit as a line, and marks bars over it", () => {
    const svg = barChart({
      title: "投诉率",
      bars: [
        { label: "weekly-1", value: 0.001 },
        { label: "weekly-2", value: 0.005 },
      ],
      format: (v) => `${(v * 100).toFixed(2)}%`,
      limit: { value: 0.003, label: "上限" },
    });
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain("<title>weekly-1：0.10%</title>");
    expect(svg).toContain("<title>weekly-2：0.50%</title>");
    expect(svg).toContain("<title>上限：0.30%</title>");
    expect(svg.match(/fill:var\(--plot-limit\)/g)).toHaveLength(1);
  });

  it("escapes labels", () => {
    expect(lineChart({ title: "<x>", labels: ['"a"'], series: [{ name: "<b>", values: [1] }] })).not.toMatch(/<b>|<x>/);
  });

  it("scales to a nice maximum", () => {
    expect([0, 1, 3, 7, 12, 480].map(niceMax)).toEqual([1, 1, 5, 10, 20, 500]);
  });
});

describe("Cloudflare Access tokens", () => {
  const settings = { teamDomain: "team.cloudflareaccess.com", audience: "aud-tag" };

  async function keysAndSigner() {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
    const requested: string[] = [];
    // A fake of the team's certs endpoint: the key set it would serve.
    const keys: AccessKeySource = async (team) => {
      requested.push(team);
      return [jwk];
    };
    const sign = (claims: { iss?: string; aud?: string; exp?: number }, key = privateKey) =>
      new SignJWT({ email: "ops@example.com" })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(claims.iss ?? "https://team.cloudflareaccess.com")
        .setAudience(claims.aud ?? "aud-tag")
        .setIssuedAt()
        .setExpirationTime(claims.exp ?? "1h")
        .sign(key);
    return { keys, sign, requested, privateKey };
  }

  it("accepts a token signed by the team's key for the audience", async () => {
    const { keys, sign, requested } = await keysAndSigner();
    expect(await verifyAccessToken(await sign({}), settings, keys)).toBe(true);
    expect(requested).toEqual(["team.cloudflareaccess.com"]);
  });

  it("rejects another audience, another issuer, an expired token and another key", async () => {
    const { keys, sign } = await keysAndSigner();
    const stranger = await generateKeyPair("RS256");
    expect(await verifyAccessToken(await sign({ aud: "other" }), settings, keys)).toBe(false);
    expect(await verifyAccessToken(await sign({ iss: "https://evil.cloudflareaccess.com" }), settings, keys)).toBe(false);
    expect(await verifyAccessToken(await sign({ exp: Math.floor(Date.now() / 1000) - 60 }), settings, keys)).toBe(false);
    expect(await verifyAccessToken(await sign({}, stranger.privateKey), settings, keys)).toBe(false);
    expect(await verifyAccessToken("not-a-jwt", settings, keys)).toBe(false);
  });

  it("rejects a tampered payload, an unknown kid, another algorithm, no exp and a token not yet valid", async () => {
    const { keys, sign, privateKey } = await keysAndSigner();
    const [header, , signature] = (await sign({})).split(".");
    const forged = btoa(JSON.stringify({ iss: "https://team.cloudflareaccess.com", aud: "aud-tag", exp: 4102444800, email: "evil@example.com" }))
      .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expect(await verifyAccessToken(`${header}.${forged}.${signature}`, settings, keys)).toBe(false);
    const claims = { iss: "https://team.cloudflareaccess.com", aud: ["aud-tag"] };
    const signWith = (protectedHeader: { alg: "RS256"; kid?: string }, extra: { exp?: number; nbf?: number }) =>
      new SignJWT({ ...claims, ...extra }).setProtectedHeader(protectedHeader).sign(privateKey);
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    // The control: Access's array audience and these claims pass when nothing is wrong.
    expect(await verifyAccessToken(await signWith({ alg: "RS256", kid: "k1" }, { exp: inAnHour }), settings, keys)).toBe(true);
    expect(await verifyAccessToken(await signWith({ alg: "RS256", kid: "k2" }, { exp: inAnHour }), settings, keys)).toBe(false);
    expect(await verifyAccessToken(await signWith({ alg: "RS256" }, { exp: inAnHour }), settings, keys)).toBe(false);
    expect(await verifyAccessToken(await signWith({ alg: "RS256", kid: "k1" }, {}), settings, keys)).toBe(false);
    expect(await verifyAccessToken(await signWith({ alg: "RS256", kid: "k1" }, { exp: inAnHour, nbf: inAnHour - 60 }), settings, keys)).toBe(false);
    const unsigned = `${btoa(JSON.stringify({ alg: "none", kid: "k1" })).replace(/=+$/, "")}.${forged}.`;
    expect(await verifyAccessToken(unsigned, settings, keys)).toBe(false);
  });

  it("fetches the team's certs once per TTL, and again after a failure", async () => {
    const { publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1" };
    const urls: string[] = [];
    let failNext = false;
    let now = 1_000_000;
    const fetcher: typeof fetch = async (input) => {
      urls.push(String(input));
      if (failNext) {
        failNext = false;
        return new Response("down", { status: 503 });
      }
      return Response.json({ keys: [jwk], public_cert: { kid: "k1", cert: "…" } });
    };
    const keys = createRemoteAccessKeys(fetcher, () => now);
    expect(await keys("team.cloudflareaccess.com")).toEqual([jwk]);
    now += ACCESS_KEYS_TTL_MS - 1;
    expect(await keys("team.cloudflareaccess.com")).toEqual([jwk]);
    expect(urls).toEqual(["https://team.cloudflareaccess.com/cdn-cgi/access/certs"]);
    now += 1;
    failNext = true;
    await expect(keys("team.cloudflareaccess.com")).rejects.toThrow(/503/);
    expect(await keys("team.cloudflareaccess.com")).toEqual([jwk]);
    expect(urls).toHaveLength(3);
  });

  it("is configured only when both vars are set", () => {
    expect(accessSettings({ ACCESS_TEAM_DOMAIN: "", ACCESS_AUD: "" })).toBeNull();
    expect(accessSettings({ ACCESS_TEAM_DOMAIN: "t.cloudflareaccess.com", ACCESS_AUD: "" })).toBeNull();
    expect(accessSettings({ ACCESS_TEAM_DOMAIN: "https://t.cloudflareaccess.com/", ACCESS_AUD: "a" })).toEqual({
      teamDomain: "t.cloudflareaccess.com",
      audience: "a",
    });
  });
});

describe("same-origin check", () => {
  const post = (headers: Record<string, string>) => new Request("https://news.example.com/admin/logout", { method: "POST", headers });

  it("accepts the console's own origin and SITE_URL's, nothing else", () => {
    expect(isSameOrigin(post({ Origin: "https://news.example.com" }), "")).toBe(true);
    expect(isSameOrigin(post({ Origin: "https://public.example.com" }), "https://public.example.com/")).toBe(true);
    expect(isSameOrigin(post({ Origin: "https://evil.example" }), "")).toBe(false);
    expect(isSameOrigin(post({ Origin: "null" }), "")).toBe(false);
    expect(isSameOrigin(post({}), "")).toBe(false);
    expect(isSameOrigin(post({ "Sec-Fetch-Site": "same-origin" }), "")).toBe(true);
    expect(isSameOrigin(post({ "Sec-Fetch-Site": "cross-site" }), "")).toBe(false);
  });
});

describe("OpenAPI document", () => {
  const document = buildOperatorApiDocument() as {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string; in: string; schema: unknown }[] }>>;
    components: { securitySchemes: Record<string, unknown> };
  };

  it("is OpenAPI 3.1 with info, security and responses for every operation", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).toBeTruthy();
    expect(document.components.securitySchemes["operatorToken"]).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, operations] of Object.entries(document.paths)) {
      expect(path.startsWith("/")).toBe(true);
      for (const operation of Object.values(operations)) {
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        // Every {param} in the path is declared as a path parameter.
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          expect(operation.parameters?.some((p) => p.in === "path" && p.name === name)).toBe(true);
        }
      }
    }
  });

  it("has a path for every operator route", () => {
    const mounted = [
      ["/api/sends", sends],
      ["/api/subscribers", subscribersAdmin],
      ["/api/subscribers.csv", subscribersCsvExport],
      ["/api/feeds", feedsAdmin],
    ] as const;
    const routes = mounted.flatMap(([prefix, app]) =>
      app.routes
        .filter((route) => route.method !== "ALL")
        .map((route) => ({
          path: (prefix + (route.path === "/" ? "" : route.path)).replace(/:(\w+)/g, "{$1}"),
          method: route.method.toLowerCase(),
        })),
    );
    // The seven operator routes today; a route added later without a path here fails below.
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBeGreaterThanOrEqual(7);
    for (const { path, method } of routes) expect(document.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it("describes request bodies and queries with the very schemas that validate them", () => {
    expect(document.paths["/api/sends"]?.["post"]?.requestBody?.content["application/json"]?.schema).toEqual(z.toJSONSchema(sendRequest, { io: "input" }));
    const query = z.toJSONSchema(subscriberListQuery, { io: "input" }) as { properties: Record<string, unknown> };
    const parameters = document.paths["/api/subscribers"]?.["get"]?.parameters ?? [];
    expect(parameters.map((p) => p.name)).toEqual(Object.keys(query.properties));
    for (const p of parameters) expect(p.schema).toEqual(query.properties[p.name]);
    expect(requestSchema(sendRequest)).toMatchObject({ type: "object", required: ["digest"], additionalProperties: false });
  });
});
