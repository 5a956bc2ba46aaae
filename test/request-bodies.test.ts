/**
 * Every route that reads a body, fed malformed and oversized bodies: each answers 4xx
 * (400 malformed, 413 oversized, 415 wrong type), pages for the site's forms and the
 * `{ error: { code, message } }` shape for the API, and changes nothing. The size limit
 * holds while the body streams in: a chunked body without Content-Length is cut off just
 * past the limit, and a Content-Length over it is refused without reading.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { digests } from "../src/digests/catalog.ts";
import { IMPORT_MAX_BYTES } from "../src/http/operator-schemas.ts";
import { signToken } from "../src/subscribers/tokens.ts";
import { seedSubscribers } from "./helpers/delivery-harness.ts";
import { call, freshEmail, freshIp, statusOf } from "./subscribe-helpers.ts";

const KB = 1024;
const [firstDigest] = digests.map((digest) => digest.id).sort() as [string];

interface BodyRoute {
  name: string;
  path: () => string;
  /** The media type the route takes, for the oversized bodies. */
  type: string;
  headers: Record<string, string>;
  answer: "page" | "json";
  maxBytes: number;
}

let unsubscribePath = "";
let preferencesPath = "";
let readerEmail = "";

beforeAll(async () => {
  readerEmail = freshEmail("bodies");
  const [id] = await seedSubscribers([{ email: readerEmail, status: "active", digests: [firstDigest] }]);
  const token = (purpose: "unsubscribe" | "preferences") => signToken(env.SIGNING_SECRET, { subscriberId: id!, purpose });
  unsubscribePath = `/unsubscribe?token=${await token("unsubscribe")}`;
  preferencesPath = `/preferences?token=${await token("preferences")}`;
});

const admin = { Authorization: "Bearer test-admin-token-of-at-least-32-bytes" };
const svix = { "svix-id": "msg_bodies", "svix-timestamp": String(Math.floor(Date.now() / 1000)), "svix-signature": "v1,AAAA" };
const FORM = "application/x-www-form-urlencoded";

const routes: BodyRoute[] = [
  { name: "POST /api/subscribe (JSON)", path: () => "/api/subscribe", type: "application/json", headers: {}, answer: "json", maxBytes: 4 * KB },
  { name: "POST /api/subscribe (form)", path: () => "/api/subscribe", type: FORM, headers: {}, answer: "page", maxBytes: 4 * KB },
  { name: "POST /unsubscribe", path: () => unsubscribePath, type: FORM, headers: {}, answer: "page", maxBytes: 4 * KB },
  { name: "POST /preferences", path: () => preferencesPath, type: FORM, headers: {}, answer: "page", maxBytes: 4 * KB },
  { name: "POST /api/sends", path: () => "/api/sends", type: "application/json", headers: admin, answer: "json", maxBytes: 16 * KB },
  { name: "POST /api/subscribers/import", path: () => "/api/subscribers/import", type: "text/csv", headers: admin, answer: "json", maxBytes: IMPORT_MAX_BYTES },
  { name: "POST /webhooks/resend", path: () => "/webhooks/resend", type: "application/json", headers: svix, answer: "json", maxBytes: 256 * KB },
];
const route = (name: string) => routes.find((r) => r.name.startsWith(name))!;

function post(r: BodyRoute, contentType: string | null, body: BodyInit): Promise<Response> {
  const headers: Record<string, string> = { ...r.headers, "CF-Connecting-IP": freshIp() };
  if (contentType !== null) headers["Content-Type"] = contentType;
  return call(r.path(), { method: "POST", headers, body });
}

/** The answer has the route's shape: a zh-CN page, or the API's JSON error with a code. */
async function expectAnswer(r: BodyRoute, response: Response, status: number, code?: string) {
  expect(response.status, r.name).toBe(status);
  if (r.answer === "page") {
    expect(response.headers.get("content-type"), r.name).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page, r.name).toContain('<html lang="zh-CN">');
    expect(page, r.name).toMatch(/<h1>(无法读取提交的内容|提交的内容太大|无法处理这种提交)<\/h1>/);
  } else {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    expect(body.error?.message, r.name).toBeTruthy();
    if (code) expect(body.error?.code, r.name).toBe(code);
  }
}

const BOUNDARY = "----bodies-test";
const multipart = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\nreader@example.org\r\n--${BOUNDARY}--\r\n`;
const truncatedMultipart = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\nreader@exa`;
const invalidUtf8 = new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0x0a]);

describe("malformed bodies", { timeout: 30_000 }, () => {
  const formRoutes = ["POST /api/subscribe (form)", "POST /unsubscribe", "POST /preferences"];
  const apiRoutes = ["POST /api/subscribe (JSON)", "POST /api/sends", "POST /api/subscribers/import", "POST /webhooks/resend"];

  it.each(formRoutes)("%s: multipart without boundary, truncated multipart, bad UTF-8 and a file are 400 pages", async (name) => {
    const r = route(name);
    await expectAnswer(r, await post(r, "multipart/form-data", multipart), 400);
    await expectAnswer(r, await post(r, `multipart/form-data; boundary=${BOUNDARY}`, truncatedMultipart), 400);
    await expectAnswer(r, await post(r, FORM, invalidUtf8), 400);
    const withFile = new FormData();
    withFile.append("email", new File(["x"], "x.txt"));
    await expectAnswer(r, await call(r.path(), { method: "POST", body: withFile, headers: { "CF-Connecting-IP": freshIp() } }), 400);
  });

  it.each(["POST /unsubscribe", "POST /preferences"])("%s: a wrong or missing content type is a 415 page", async (name) => {
    const r = route(name);
    await expectAnswer(r, await post(r, "application/json", '{"action":"leave"}'), 415);
    await expectAnswer(r, await post(r, null, "List-Unsubscribe=One-Click"), 415);
  });

  it.each(["POST /api/subscribe (JSON)", "POST /api/sends", "POST /webhooks/resend"])("%s: bad JSON and bad UTF-8 are 400 JSON errors", async (name) => {
    const r = route(name);
    await expectAnswer(r, await post(r, "application/json", '{"digest": '), 400, "invalid_json");
    await expectAnswer(r, await post(r, "application/json", invalidUtf8), 400, "malformed_body");
  });

  it("POST /api/subscribers/import: bad UTF-8 is a 400 JSON error", async () => {
    const r = route("POST /api/subscribers/import");
    await expectAnswer(r, await post(r, "text/csv", invalidUtf8), 400, "malformed_body");
  });

  it.each(apiRoutes)("%s: another type or none is a 415 JSON error", async (name) => {
    const r = route(name);
    const wrong = r.type === "text/csv" ? "application/json" : "text/plain";
    await expectAnswer(r, await post(r, wrong, "{}"), 415, "unsupported_media_type");
    await expectAnswer(r, await post(r, null, "{}"), 415, "unsupported_media_type");
  });

  // /api/subscribe takes multipart forms too (above, with the form routes).
  it.each(apiRoutes.slice(1))("%s: multipart (here without boundary) is a 415 JSON error", async (name) => {
    const r = route(name);
    await expectAnswer(r, await post(r, "multipart/form-data", multipart), 415, "unsupported_media_type");
  });

  it("POST /preferences: an unknown or missing action is a 400 and saves nothing", async () => {
    const r = route("POST /preferences");
    for (const fields of [[["action", "delete"], ["digests", digests[1]!.id]], [["digests", digests[1]!.id]], [["action", "save"], ["action", "leave"]]]) {
      const response = await post(r, FORM, new URLSearchParams(fields).toString());
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("无法识别要执行的操作");
    }
  });

  it("changed nothing: the reader is still active with the same digests, no edition was opened", async () => {
    expect(await statusOf(readerEmail)).toBe("active");
    const { results } = await env.DB.prepare(
      "SELECT digest_id FROM subscriptions JOIN subscribers ON subscribers.id = subscriber_id WHERE email = ?",
    )
      .bind(readerEmail)
      .all<{ digest_id: string }>();
    expect(results.map((row) => row.digest_id)).toEqual([firstDigest]);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first<{ n: number }>())?.n).toBe(0);
  });
});

/** A body of `total` bytes, produced chunk by chunk on demand, counting what the reader pulled. */
function meteredBody(total: number, chunkBytes = 16 * KB) {
  const chunk = new TextEncoder().encode("a".repeat(chunkBytes));
  const meter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (meter.pulled >= total) return controller.close();
      meter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, meter, chunkBytes };
}

describe("oversized bodies", { timeout: 60_000 }, () => {
  it.each(routes.map((r) => r.name))("%s: a Content-Length over the limit is a 413", async (name) => {
    const r = route(name);
    await expectAnswer(r, await post(r, r.type, "a".repeat(r.maxBytes + 1)), 413, "payload_too_large");
  });

  it.each(routes.map((r) => r.name))("%s: a chunked body growing past the limit is cut off just past it with a 413", async (name) => {
    const r = route(name);
    // Far more than the limit: a reader that buffered everything first would pull it all.
    const { stream, meter, chunkBytes } = meteredBody(r.maxBytes * 8);
    const request = new Request(`http://example.com${r.path()}`, {
      method: "POST",
      headers: { ...r.headers, "Content-Type": r.type, "CF-Connecting-IP": freshIp() },
      body: stream,
    });
    expect(request.headers.get("content-length")).toBeNull();
    const response = await call(r.path(), { method: "POST", headers: request.headers, body: request.body });
    await expectAnswer(r, response, 413, "payload_too_large");
    expect(meter.pulled).toBeGreaterThan(r.maxBytes);
    expect(meter.pulled).toBeLessThanOrEqual(r.maxBytes + 4 * chunkBytes);
  });

  it.each(routes.map((r) => r.name))("%s: a declared Content-Length over the limit is refused before reading", async (name) => {
    const r = route(name);
    const { stream, meter, chunkBytes } = meteredBody(r.maxBytes * 8);
    const response = await call(r.path(), {
      method: "POST",
      headers: { ...r.headers, "Content-Type": r.type, "Content-Length": String(r.maxBytes * 8), "CF-Connecting-IP": freshIp() },
      body: stream,
    });
    await expectAnswer(r, response, 413, "payload_too_large");
    expect(meter.pulled).toBeLessThanOrEqual(2 * chunkBytes);
  });

  it("a body just under the limit is read whole (the limit is not off by a chunk)", async () => {
    const r = route("POST /api/subscribe (JSON)");
    const padded = JSON.stringify({ email: freshEmail("limit"), padding: "" });
    const body = padded.replace('"padding":""', `"padding":"${"p".repeat(r.maxBytes - padded.length)}"`);
    expect(body.length).toBe(r.maxBytes);
    expect((await post(r, "application/json", body)).status).toBe(202);
  });
});
