/**
 * The Worker as its own WebSub hub (W3C WebSub, hub section; websub.rocks' hub tests as the
 * checklist): discovery in documents and Link headers, POST /websub answered 202 with
 * verification of intent through the queue, leases, unsubscribing, refusals, publishing
 * only changed topics with a correct X-Hub-Signature, retries then drop, and lease expiry.
 * A fake subscriber (test/helpers/fake-websub-subscriber.ts) answers the hub's requests.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { items, type ContentItem } from "../src/content/collection.ts";
import { currentFeedView } from "../src/digests/feed-updates.ts";
import { callbackProblem } from "../src/feeds/websub-callback.ts";
import { MAX_DELIVERY_ATTEMPTS } from "../src/feeds/websub-hub.ts";
import { publishNewContent } from "../src/feeds/websub-publish.ts";
import { DEFAULT_LEASE_SECONDS, MAX_LEASE_SECONDS } from "../src/feeds/websub-request.ts";
import worker from "../src/index.ts";
import { drain, interruptibleDb, RecordingQueue } from "./helpers/delivery-harness.ts";
import { FakeClock } from "./helpers/fake-clock.ts";
import { FakeWebSubSubscriber } from "./helpers/fake-websub-subscriber.ts";
import { interview } from "./helpers/seed-items.ts";

const SITE = "http://example.com";
const HUB = `${SITE}/websub`;
const INTERVIEW_TAG = "悟道";
const EVENT_TAG = "WAIC";
/** The subscription feeds' view at the default FEED_PAGE_SIZE, as the routes serve them. */
const view = currentFeedView(20);
const tagFeed = (tag: string, file = "rss.xml") => `${SITE}/tags/${encodeURIComponent(tag)}/${file}`;

let queue: RecordingQueue;
let subscriber: FakeWebSubSubscriber;
let testEnv: Env;
let nextIp = 1;

async function call(request: Request, withEnv = testEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, withEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

function hubRequest(fields: Record<string, string>, ip = `192.0.2.${nextIp++ % 250}`): Promise<Response> {
  return call(
    new Request(HUB, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": ip },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

const subscribeFields = (name: string, topic = `${SITE}/rss.xml`, extra: Record<string, string> = {}) => ({
  "hub.mode": "subscribe",
  "hub.callback": subscriber.callback(name),
  "hub.topic": topic,
  ...extra,
});

async function subscribe(name: string, topic = `${SITE}/rss.xml`, extra: Record<string, string> = {}): Promise<void> {
  expect((await hubRequest(subscribeFields(name, topic, extra))).status).toBe(202);
  await drain(testEnv, queue, { queueName: "websub" });
}

async function storedSubscriptions() {
  const { results } = await env.DB.prepare("SELECT topic, callback, secret, lease_seconds, expires_at, created_at FROM websub_subscriptions ORDER BY callback").all<{
    topic: string;
    callback: string;
    secret: string | null;
    lease_seconds: number;
    expires_at: number;
    created_at: number;
  }>();
  return results;
}

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

beforeAll(async () => {
  // The live content counts as published, as after the first check of a deployed Worker.
  await publishNewContent({ ...env, WEBSUB_QUEUE: new RecordingQueue() }, new Date(), view);
});

beforeEach(async () => {
  queue = new RecordingQueue();
  subscriber = new FakeWebSubSubscriber();
  testEnv = { ...env, SITE_URL: SITE, WEBSUB_QUEUE: queue };
  vi.stubGlobal("fetch", subscriber.fetch);
  await env.DB.batch(["websub_subscriptions", "websub_topics", "rate_limits"].map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("discovery", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "atom:link" || name === "link" });

  it.each([
    ["/rss.xml", `${SITE}/rss.xml`],
    ["/atom.xml", `${SITE}/atom.xml`],
    ["/feed.json", `${SITE}/feed.json`],
    [`/tags/${encodeURIComponent(INTERVIEW_TAG)}/atom.xml`, tagFeed(INTERVIEW_TAG, "atom.xml")],
    [`/tags/${encodeURIComponent(EVENT_TAG)}/feed.json`, tagFeed(EVENT_TAG, "feed.json")],
  ])("%s names the hub and itself in a Link header and in the document", async (path, self) => {
    const response = await call(new Request(`${SITE}${path}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("link")).toBe(`<${HUB}>; rel="hub", <${self}>; rel="self"`);
    const text = await response.text();
    if (path.endsWith(".json")) {
      const feed = JSON.parse(text) as { hubs: { type: string; url: string }[]; feed_url: string };
      expect(feed.hubs).toEqual([{ type: "WebSub", url: HUB }]);
      expect(feed.feed_url).toBe(self);
      return;
    }
    const doc = parser.parse(text) as { rss?: { channel: { "atom:link": { "@rel": string; "@href": string }[] } }; feed?: { link: { "@rel": string; "@href": string }[] } };
    const links = doc.rss ? doc.rss.channel["atom:link"] : doc.feed!.link;
    expect(links).toContainEqual(expect.objectContaining({ "@rel": "hub", "@href": HUB }));
    expect(links).toContainEqual(expect.objectContaining({ "@rel": "self", "@href": self }));
  });

  it("names no hub on an archive page: it never changes, so it is no topic", async () => {
    const response = await call(new Request(`${SITE}/archive/1/atom.xml`), { ...testEnv, FEED_PAGE_SIZE: "1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("link")).toBeNull();
    expect(await response.text()).not.toContain('rel="hub"');
    const refused = await hubRequest({ ...subscribeFields("a"), "hub.topic": `${SITE}/archive/1/atom.xml` });
    expect(refused.status).toBe(400);
  });

  it("puts the hub in the RSS feed too", async () => {
    const text = await (await call(new Request(`${SITE}/rss.xml`))).text();
    expect(text).toContain(`<atom:link href="${HUB}" rel="hub"/>`);
  });
});

describe("subscribing", () => {
  it("answers 202 without fetching the callback, then verifies intent through the queue and stores the default lease", async () => {
    const before = Date.now();
    const response = await hubRequest(subscribeFields("a"));
    expect(response.status).toBe(202);
    expect(subscriber.verifications).toEqual([]);
    expect(await storedSubscriptions()).toEqual([]);

    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.verifications).toHaveLength(1);
    const [verification] = subscriber.verifications;
    expect(verification).toMatchObject({ callback: subscriber.callback("a"), mode: "subscribe", topic: `${SITE}/rss.xml`, leaseSeconds: String(DEFAULT_LEASE_SECONDS) });
    expect(verification!.challenge).toMatch(/^[0-9a-z]{20,}$/);
    const [stored] = await storedSubscriptions();
    expect(stored).toMatchObject({ topic: `${SITE}/rss.xml`, callback: subscriber.callback("a"), secret: null, lease_seconds: DEFAULT_LEASE_SECONDS });
    expect(stored!.expires_at - stored!.created_at).toBe(DEFAULT_LEASE_SECONDS * 1000);
    expect(stored!.created_at).toBeGreaterThanOrEqual(before);
  });

  it("stores one subscription when the same verification message comes twice", async () => {
    expect((await hubRequest(subscribeFields("a"))).status).toBe(202);
    queue.redeliverAll();
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.verifications).toHaveLength(2);
    expect(await storedSubscriptions()).toHaveLength(1);
  });

  it("keeps the callback's own query when it verifies", async () => {
    const callback = `${subscriber.callback("q")}?feed=ai&x=1`;
    expect((await hubRequest({ ...subscribeFields("q"), "hub.callback": callback })).status).toBe(202);
    await drain(testEnv, queue, { queueName: "websub" });
    expect((await storedSubscriptions()).map((s) => s.callback)).toEqual([callback]);
  });

  it("uses a new challenge for every verification", async () => {
    await subscribe("a");
    await subscribe("a");
    const [first, second] = subscriber.verifications;
    expect(first!.challenge).not.toBe(second!.challenge);
    expect(await storedSubscriptions()).toHaveLength(1);
  });

  it("stores nothing when the callback echoes another challenge", async () => {
    subscriber.verificationAnswer = "wrong-challenge";
    await subscribe("a");
    expect(subscriber.verifications).toHaveLength(1);
    expect(await storedSubscriptions()).toEqual([]);
  });

  it("stores nothing when the callback refuses the verification", async () => {
    subscriber.verificationAnswer = "refuse";
    await subscribe("a");
    expect(subscriber.verifications).toHaveLength(1);
    expect(await storedSubscriptions()).toEqual([]);
  });

  it("grants the lease asked for, and caps a longer one at the maximum", async () => {
    await subscribe("short", `${SITE}/rss.xml`, { "hub.lease_seconds": "3600" });
    await subscribe("long", `${SITE}/rss.xml`, { "hub.lease_seconds": "999999999" });
    expect(subscriber.verifications.map((v) => v.leaseSeconds)).toEqual(["3600", String(MAX_LEASE_SECONDS)]);
    const stored = await storedSubscriptions();
    expect(stored.map((s) => [s.callback, s.lease_seconds])).toEqual([
      [subscriber.callback("long"), MAX_LEASE_SECONDS],
      [subscriber.callback("short"), 3600],
    ]);
  });

  it("stores a tag feed under its canonical URL, however the tag was spelled", async () => {
    await subscribe("tag", `${SITE}/tags/${INTERVIEW_TAG}/rss.xml`);
    expect((await storedSubscriptions()).map((s) => s.topic)).toEqual([tagFeed(INTERVIEW_TAG)]);
  });

  it("unsubscribes after verifying the unsubscribe intent", async () => {
    await subscribe("a");
    expect(await storedSubscriptions()).toHaveLength(1);
    expect((await hubRequest({ ...subscribeFields("a"), "hub.mode": "unsubscribe" })).status).toBe(202);
    expect(await storedSubscriptions()).toHaveLength(1);
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.verifications.at(-1)).toMatchObject({ mode: "unsubscribe", topic: `${SITE}/rss.xml`, leaseSeconds: null });
    expect(await storedSubscriptions()).toEqual([]);
  });

  it("keeps the subscription when the unsubscribe is not verified", async () => {
    await subscribe("a");
    subscriber.verificationAnswer = "wrong-challenge";
    await hubRequest({ ...subscribeFields("a"), "hub.mode": "unsubscribe" });
    await drain(testEnv, queue, { queueName: "websub" });
    expect(await storedSubscriptions()).toHaveLength(1);
  });
});

describe("refusals", () => {
  it.each([
    ["another site's feed", { "hub.topic": "https://elsewhere.example/rss.xml" }, "invalid_topic", /must be a feed of http:\/\/example.com/],
    ["a page that is no feed", { "hub.topic": `${SITE}/articles/x` }, "invalid_topic", /not one of this site's feeds/],
    ["a tag no article has", { "hub.topic": `${SITE}/tags/nope/rss.xml` }, "invalid_topic", /no article has/],
    ["a topic with a query", { "hub.topic": `${SITE}/rss.xml?x=1` }, "invalid_topic", /without a query/],
    ["an http callback", { "hub.callback": "http://subscriber.example.net/cb" }, "invalid_callback", /https/],
    ["a loopback callback", { "hub.callback": "https://127.0.0.1/cb" }, "invalid_callback", /private, loopback or link-local/],
    ["an IPv6 loopback callback", { "hub.callback": "https://[::1]/cb" }, "invalid_callback", /private, loopback or link-local/],
    ["a private callback", { "hub.callback": "https://10.1.2.3/cb" }, "invalid_callback", /private/],
    ["a link-local callback", { "hub.callback": "https://169.254.169.254/latest" }, "invalid_callback", /link-local/],
    ["a localhost callback", { "hub.callback": "https://localhost:8443/cb" }, "invalid_callback", /public host/],
    ["a callback with credentials", { "hub.callback": "https://u:p@subscriber.example.net/cb" }, "invalid_callback", /credentials/],
    ["a secret over 200 bytes", { "hub.secret": "密".repeat(67) }, "invalid_secret", /at most 200 bytes/],
    ["an unknown mode", { "hub.mode": "publish" }, "invalid_request", /hub\.mode/],
    ["a lease that is not a number", { "hub.lease_seconds": "soon" }, "invalid_request", /hub\.lease_seconds/],
  ])("refuses %s with a 400 saying why, and queues nothing", async (_what, override, code, message) => {
    const response = await hubRequest({ ...subscribeFields("a"), ...override });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(queue.pending).toEqual([]);
  });

  it("refuses a request without a callback", async () => {
    const response = await hubRequest({ "hub.mode": "subscribe", "hub.topic": `${SITE}/rss.xml` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/hub\.callback/);
  });

  it("accepts a secret of exactly 200 bytes", async () => {
    expect((await hubRequest({ ...subscribeFields("a"), "hub.secret": "s".repeat(200) })).status).toBe(202);
  });

  it("allows http://127.0.0.1 callbacks in development only", () => {
    expect(callbackProblem("http://127.0.0.1:9000/cb", "development")).toBeNull();
    expect(callbackProblem("http://127.0.0.1:9000/cb", "production")).toMatch(/https/);
    expect(callbackProblem("https://[::ffff:c0a8:101]/cb", "production")).toMatch(/private/);
    expect(callbackProblem("https://subscriber.example.net/cb", "production")).toBeNull();
  });

  it("rate limits subscription requests per address", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < 30; i++) expect((await hubRequest(subscribeFields(`r${i}`), ip)).status).toBe(202);
    const limited = await hubRequest(subscribeFields("r30"), ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await hubRequest(subscribeFields("other"), "198.51.100.78")).status).toBe(202);
  });
});

describe("publishing", () => {
  /** A new article tagged like the interview only: the site's feeds and that tag's feeds change, the event's tag feed does not. */
  const newArticle: ContentItem = {
    ...interview,
    id: "tag:example.com,2026:websub-test-article",
    slug: "websub-test-article",
    title: "新文章：WebSub 测试",
    tags: [INTERVIEW_TAG],
    published: "2026-12-03T08:00:00+08:00",
    updated: undefined,
  };
  const newVersion = { hash: "new-version", items: [newArticle, ...items] };

  it("delivers a new content version to changed topics only, signed when a secret was given", async () => {
    await subscribe("site", `${SITE}/rss.xml`, { "hub.secret": "s3cret-秘密" });
    await subscribe("plain", `${SITE}/atom.xml`);
    await subscribe("interview", tagFeed(INTERVIEW_TAG));
    await subscribe("event", tagFeed(EVENT_TAG));
    // The content version the subscriptions were verified under is published already.
    expect(await publishNewContent(testEnv, new Date(), view, { hash: (await env.DB.prepare("SELECT content_hash FROM websub_published").first<{ content_hash: string }>())!.content_hash, items })).toEqual([]);

    const notified = await publishNewContent(testEnv, new Date(), view, newVersion);
    expect(notified.sort()).toEqual([`${SITE}/atom.xml`, `${SITE}/rss.xml`, tagFeed(INTERVIEW_TAG)].sort());
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.deliveries.map((d) => d.callback).sort()).toEqual(["interview", "plain", "site"].map((n) => subscriber.callback(n)));

    const signed = subscriber.deliveries.find((d) => d.callback === subscriber.callback("site"))!;
    const served = await call(new Request(`${SITE}/rss.xml`));
    expect(signed.body).toBe(await served.text());
    expect(signed.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    expect(signed.headers.link).toBe(`<${HUB}>; rel="hub", <${SITE}/rss.xml>; rel="self"`);
    expect(signed.headers["x-hub-signature"]).toBe(`sha256=${await hmacHex("s3cret-秘密", signed.body)}`);
    const unsigned = subscriber.deliveries.find((d) => d.callback === subscriber.callback("plain"))!;
    expect(unsigned.headers["x-hub-signature"]).toBeUndefined();
    expect(unsigned.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
  });

  it("publishes a content version once, however often it is checked", async () => {
    await subscribe("site");
    expect(await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "once" })).toEqual([`${SITE}/rss.xml`]);
    expect(await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "once" })).toEqual([]);
    // A new version whose bodies are the same as the last published ones notifies nobody.
    expect(await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "same-bodies" })).toEqual([]);
  });

  it("notifies a topic once when two isolates check the same new version at once", async () => {
    await subscribe("site");
    const both = await Promise.all([
      publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "concurrent" }),
      publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "concurrent" }),
    ]);
    expect(both.flat()).toEqual([`${SITE}/rss.xml`]);
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.deliveries).toHaveLength(1);
  });

  it("finishes a check that died before marking the version published, without notifying twice", async () => {
    await subscribe("site");
    await subscribe("interview", tagFeed(INTERVIEW_TAG));
    const db = interruptibleDb(env.DB);
    db.crashAt(/INSERT INTO websub_published/);
    await expect(publishNewContent({ ...testEnv, DB: db.db }, new Date(), view, { ...newVersion, hash: "crash" })).rejects.toThrow(/simulated crash/);
    expect(await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "crash" })).toEqual([]);
    expect(await env.DB.prepare("SELECT content_hash FROM websub_published").first("content_hash")).toBe("crash");
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.deliveries).toHaveLength(2);
  });

  it("retries a failed delivery with growing delays, then drops it", async () => {
    await subscribe("down");
    subscriber.deliveryStatuses.push(...Array<number>(MAX_DELIVERY_ATTEMPTS).fill(503));
    await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "retry" });
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.deliveries).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(queue.retries.map((r) => r.delaySeconds)).toEqual([30, 60, 120, 240, 480]);
    expect(queue.pending).toEqual([]);
  });

  it("delivers after a transient failure", async () => {
    await subscribe("flaky");
    subscriber.deliveryStatuses.push(500);
    await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "flaky" });
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.deliveries).toHaveLength(2);
    expect(queue.retries).toHaveLength(1);
  });

  it("delivers nothing to a callback that unsubscribed after the update was queued", async () => {
    await subscribe("gone");
    await publishNewContent(testEnv, new Date(), view, { ...newVersion, hash: "gone" });
    await env.DB.prepare("DELETE FROM websub_subscriptions").run();
    await drain(testEnv, queue, { queueName: "websub" });
    expect(subscriber.deliveries).toEqual([]);
  });
});

describe("leases", () => {
  it("are dropped by the maintenance cron once expired", async () => {
    await subscribe("short", `${SITE}/rss.xml`, { "hub.lease_seconds": "3600" });
    await subscribe("long", `${SITE}/rss.xml`);
    const clock = new FakeClock(Date.now() + 3601 * 1000);
    const controller = { cron: "*/10 * * * *", scheduledTime: clock.now().getTime(), noRetry() {} } satisfies ScheduledController;
    await worker.scheduled(controller, testEnv, createExecutionContext(), clock);
    expect((await storedSubscriptions()).map((s) => s.callback)).toEqual([subscriber.callback("long")]);
  });
});
