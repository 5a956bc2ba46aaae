/**
 * The RSS audience: subscriber counts read from feed fetchers' User-Agents (each known
 * format), at most one write per fetcher, feed and day, no address or User-Agent stored,
 * and the same numbers in GET /api/feeds/audience and on the console's dashboard.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { countFeedFetch, reportedAudience, resetAudienceMemo } from "../src/feeds/feed-audience.ts";
import worker from "../src/index.ts";
import { beijingDate } from "../src/text/beijing-time.ts";

const SITE = "http://example.com";
const FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; like FeedFetcher-Google)";
const INOREADER = "Mozilla/5.0 (compatible; inoreader.com; 12 subscribers)";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

describe("reportedAudience", () => {
  it.each([
    [FEEDLY, "Feedly", 42],
    [INOREADER, "Inoreader", 12],
    ["NewsBlur Feed Fetcher - 5 subscribers - https://www.newsblur.com/site/6061234/ai (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0 Safari/605.1.15)", "NewsBlur", 5],
    ["Mozilla/5.0 (compatible; theoldreader.com; 7 subscribers; feed-id=5c1f0e2a)", "The Old Reader", 7],
    ["Feedbin feed-id:1234567 - 3 subscribers", "Feedbin", 3],
    ["Bloglovin/1.0 (http://www.bloglovin.com; 10 subscribers)", "Bloglovin", 10],
    ["Netvibes (http://www.netvibes.com/; 3 subscribers; feedID: 12345)", "Netvibes", 3],
    ["Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 4 subscribers; feed-id=1234)", "Google Feedfetcher", 4],
    ["Mozilla/5.0 (compatible; reader.example; 9 subscribers)", "reader.example", 9],
    ["FancyReader/2.1 (+https://fancy.example; 8 readers)", "FancyReader", 8],
    ["Mozilla/5.0 (1 subscriber)", "Other services", 1],
  ])("reads %s", (userAgent, service, subscribers) => {
    expect(reportedAudience(userAgent)).toEqual({ service, subscribers });
  });

  it.each([BROWSER, "Mozilla/5.0 (compatible; Miniflux/2.0.50; +https://miniflux.app)", ""])("finds no count in %j", (userAgent) => {
    expect(reportedAudience(userAgent)).toBeNull();
  });
});

/** The test env with a D1 binding that counts writes to feed_audience. */
function countingEnv(): { testEnv: Env; writes: () => number } {
  let writes = 0;
  const db = new Proxy(env.DB, {
    get(target, property, receiver) {
      if (property === "prepare") {
        return (sql: string) => {
          if (/^\s*INSERT INTO feed_audience/.test(sql)) writes++;
          return target.prepare(sql);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { testEnv: { ...env, DB: db }, writes: () => writes };
}

async function fetchFeed(testEnv: Env, path: string, userAgent: string, ip: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set("User-Agent", userAgent);
  headers.set("CF-Connecting-IP", ip);
  const response = await worker.fetch(new Request(`${SITE}${path}`, { ...init, headers }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function audienceRows() {
  const { results } = await env.DB.prepare("SELECT day, feed, fetcher, kind, readers FROM feed_audience ORDER BY feed, kind, fetcher").all<Record<string, string | number>>();
  return results;
}

beforeEach(async () => {
  resetAudienceMemo();
  await env.DB.batch(["feed_audience", "websub_subscriptions"].map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
});

describe("counting feed fetches", () => {
  it("writes each fetcher once per feed and day, however often it polls", async () => {
    const { testEnv, writes } = countingEnv();
    for (let i = 0; i < 5; i++) expect((await fetchFeed(testEnv, "/rss.xml", FEEDLY, `203.0.113.${i}`)).status).toBe(200);
    const etag = (await fetchFeed(testEnv, "/rss.xml", BROWSER, "203.0.113.50")).headers.get("etag")!;
    for (let i = 0; i < 3; i++) expect((await fetchFeed(testEnv, "/rss.xml", BROWSER, "203.0.113.50", { headers: { "If-None-Match": etag } })).status).toBe(304);
    await fetchFeed(testEnv, "/rss.xml", BROWSER, "203.0.113.51");
    await fetchFeed(testEnv, "/atom.xml", INOREADER, "198.51.100.3");
    await fetchFeed(testEnv, "/atom.xml", INOREADER, "198.51.100.4");
    expect(writes()).toBe(4);
    const day = beijingDate(new Date());
    const rows = await audienceRows();
    expect(rows.map(({ feed, kind, readers }) => [feed, kind, readers])).toEqual([
      ["/atom.xml", "service", 12],
      ["/rss.xml", "client", 1],
      ["/rss.xml", "client", 1],
      ["/rss.xml", "service", 42],
    ]);
    expect(rows.every((row) => row.day === day)).toBe(true);
  });

  it("stores neither the address nor the User-Agent of a person's client", async () => {
    const { testEnv } = countingEnv();
    await fetchFeed(testEnv, "/feed.json", BROWSER, "203.0.113.99");
    const rows = await audienceRows();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain("203.0.113.99");
    expect(stored).not.toContain("Mozilla");
    expect(rows[0]!.fetcher).toMatch(/^client:[0-9a-f]{16}$/);
  });

  it("counts tag feeds under their own path, and pages not at all", async () => {
    const { testEnv, writes } = countingEnv();
    await fetchFeed(testEnv, `/tags/${encodeURIComponent("悟道")}/rss.xml`, FEEDLY, "203.0.113.1");
    await fetchFeed(testEnv, "/", FEEDLY, "203.0.113.1");
    expect(writes()).toBe(1);
    expect((await audienceRows()).map((row) => row.feed)).toEqual([`/tags/${encodeURIComponent("悟道")}/rss.xml`]);
  });

  it("writes a fetcher again on the next day", async () => {
    const { testEnv, writes } = countingEnv();
    const pending: Promise<unknown>[] = [];
    const request = new Request(`${SITE}/rss.xml`, { headers: { "User-Agent": FEEDLY } });
    const today = new Date();
    const tomorrow = new Date(today.getTime() + 86_400_000);
    countFeedFetch(testEnv, (p) => pending.push(p), request, "/rss.xml", today.getTime());
    countFeedFetch(testEnv, (p) => pending.push(p), request, "/rss.xml", today.getTime());
    countFeedFetch(testEnv, (p) => pending.push(p), request, "/rss.xml", tomorrow.getTime());
    await Promise.all(pending);
    expect(writes()).toBe(2);
    expect((await audienceRows()).map((row) => row.day)).toEqual([beijingDate(today), beijingDate(tomorrow)]);
  });
});

describe("where the audience shows", () => {
  async function seedAudience(): Promise<void> {
    const { testEnv } = countingEnv();
    await fetchFeed(testEnv, "/rss.xml", FEEDLY, "203.0.113.1");
    await fetchFeed(testEnv, "/rss.xml", BROWSER, "203.0.113.2");
    await fetchFeed(testEnv, "/rss.xml", BROWSER, "203.0.113.3");
    await fetchFeed(testEnv, "/atom.xml", INOREADER, "198.51.100.3");
    const yesterday = beijingDate(new Date(Date.now() - 86_400_000));
    await env.DB.prepare("INSERT INTO feed_audience (day, feed, fetcher, kind, readers) VALUES (?, '/rss.xml', 'Feedly', 'service', 40)").bind(yesterday).run();
    const expires = Date.now() + 3600_000;
    await env.DB.prepare("INSERT INTO websub_subscriptions (topic, callback, secret, lease_seconds, expires_at, created_at) VALUES (?, 'https://s.example.net/cb', NULL, 3600, ?, ?)")
      .bind(`${SITE}/rss.xml`, expires, Date.now())
      .run();
  }

  it("GET /api/feeds/audience returns readers per day, by service and feed, and WebSub subscriptions", async () => {
    await seedAudience();
    const unauthorized = await worker.fetch(new Request(`${SITE}/api/feeds/audience`), env, createExecutionContext());
    expect(unauthorized.status).toBe(401);
    const response = await worker.fetch(new Request(`${SITE}/api/feeds/audience`, { headers: { Authorization: "Bearer test-admin-token-of-at-least-32-bytes" } }), env, createExecutionContext());
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      daily: { day: string; readers: number; serviceSubscribers: number; otherClients: number }[];
      latest: { day: string; readers: number; services: { service: string; subscribers: number }[]; otherClients: number; feeds: { feed: string; readers: number }[] };
      websub: { subscriptions: number; topics: { topic: string; subscriptions: number }[] };
    };
    const today = beijingDate(new Date());
    expect(body.daily).toHaveLength(30);
    expect(body.daily.at(-1)).toEqual({ day: today, readers: 56, serviceSubscribers: 54, otherClients: 2 });
    expect(body.daily.at(-2)).toMatchObject({ readers: 40, serviceSubscribers: 40, otherClients: 0 });
    expect(body.daily[0]!.readers).toBe(0);
    expect(body.latest).toEqual({
      day: today,
      readers: 56,
      services: [
        { service: "Feedly", subscribers: 42 },
        { service: "Inoreader", subscribers: 12 },
      ],
      otherClients: 2,
      feeds: [
        { feed: "/rss.xml", readers: 44 },
        { feed: "/atom.xml", readers: 12 },
      ],
    });
    expect(body.websub).toEqual({ subscriptions: 1, topics: [{ topic: `${SITE}/rss.xml`, subscriptions: 1 }] });
  });

  it("the console's dashboard shows RSS readers beside email subscribers, with the same numbers", async () => {
    await seedAudience();
    const login = await worker.fetch(
      new Request(`${SITE}/admin/login`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: SITE, "CF-Connecting-IP": "198.51.100.200" },
        body: "token=test-admin-token-of-at-least-32-bytes",
        redirect: "manual",
      }),
      env,
      createExecutionContext(),
    );
    expect(login.status).toBe(303);
    const cookie = (login.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    const page = await (await worker.fetch(new Request(`${SITE}/admin`, { headers: { Cookie: cookie } }), env, createExecutionContext())).text();
    expect(page).toMatch(/<b data-status="all">[^<]*<\/b><\/div>[\s\S]*<b data-feed-readers>56<\/b>/);
    expect(page).toContain('data-service="Feedly">42<');
    expect(page).toContain('data-service="Inoreader">12<');
    expect(page).toContain('data-service="other">2<');
    expect(page).toContain("<b data-websub-subscriptions>1</b>");
    expect(page).toContain("最近 30 天的 RSS 读者");
    expect(page).toContain(`<td>${SITE}/rss.xml</td>`);
  });
});
