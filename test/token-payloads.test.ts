/**
 * Tokens signed with the real secret whose payload is not what signToken writes (not
 * JSON, JSON of another shape, not UTF-8): every link route answers the "link invalid"
 * page with a 400, never a 500, and never acts on the subscriber the payload names.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { digests } from "../src/digests/catalog.ts";
import { seedSubscribers } from "./helpers/delivery-harness.ts";
import { call, freshEmail, statusOf } from "./subscribe-helpers.ts";

const encoder = new TextEncoder();
const base64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * A token with any payload bytes, correctly signed as links were before keys were derived
 * per purpose (HMAC keyed with SIGNING_SECRET itself): links in emails already sent.
 */
async function signedToken(payload: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(env.SIGNING_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const encoded = base64Url(payload);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(encoded)));
  return `${encoded}.${base64Url(signature)}`;
}

let email = "";
let id = 0;
beforeAll(async () => {
  email = freshEmail("payload");
  [id] = (await seedSubscribers([{ email, status: "active", digests: [digests[0]!.id] }])) as [number];
});

const payloads = (): [string, Uint8Array][] => [
  ["not JSON", encoder.encode("hello")],
  ["JSON null", encoder.encode("null")],
  ["an array", encoder.encode(`[${id}, "unsubscribe"]`)],
  ["the id as a string", encoder.encode(JSON.stringify({ s: String(id), p: "unsubscribe" }))],
  ["the id as a fraction", encoder.encode(JSON.stringify({ s: id + 0.5, p: "preferences" }))],
  ["an unknown purpose", encoder.encode(JSON.stringify({ s: id, p: "admin" }))],
  ["an expiry that is not a number", encoder.encode(JSON.stringify({ s: id, p: "confirm", e: "never" }))],
  ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  // The README: a token with a field signToken never writes is malformed, not "ignored".
  ["an extra field", encoder.encode(JSON.stringify({ s: id, p: "unsubscribe", admin: true }))],
  ["an extra field on a preferences token", encoder.encode(JSON.stringify({ s: id, p: "preferences", x: 1 }))],
];

describe("correctly signed tokens with a payload of the wrong shape", () => {
  it("are a 400 'link invalid' page on every link route, GET and POST", async () => {
    for (const [label, payload] of payloads()) {
      const token = await signedToken(payload);
      for (const [method, path] of [
        ["GET", "/confirm"],
        ["GET", "/unsubscribe"],
        ["POST", "/unsubscribe"],
        ["GET", "/preferences"],
        ["POST", "/preferences"],
      ] as const) {
        const init: RequestInit =
          method === "POST"
            ? { method, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "action=leave&List-Unsubscribe=One-Click" }
            : {};
        const response = await call(`${path}?token=${token}`, init);
        expect(response.status, `${label}: ${method} ${path}`).toBe(400);
        expect(await response.text(), `${label}: ${method} ${path}`).toContain("链接无效");
      }
    }
    expect(await statusOf(email)).toBe("active");
  });
});

describe("links sent before keys were derived per purpose", () => {
  it("an unsubscribe link signed with the secret itself still opens its page", async () => {
    const token = await signedToken(encoder.encode(JSON.stringify({ s: id, p: "unsubscribe" })));
    const response = await call(`/unsubscribe?token=${token}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(email);
  });
});
