/**
 * Where absolute links come from. Outside development only SITE_URL: a forged Host never
 * reaches a link, and without SITE_URL a route that builds links fails with a clear,
 * logged 500 instead of trusting the Host header. Development follows the request.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { digests } from "../src/digests/catalog.ts";
import { drain, MAIL_QUEUE_NAME, RecordingQueue } from "./helpers/delivery-harness.ts";
import { freshEmail, freshIp, mailTo, statusOf } from "./subscribe-helpers.ts";

const FORGED = "http://evil.example";
const SITE = "https://news.example.com";

/** A request, then the mail queue it wrote to, drained through the Worker's consumer with the same vars. */
async function fetchAt(url: string, overrides: Partial<Env>, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(url, init) as Request<unknown, IncomingRequestCfProperties>;
  const mailQueue = new RecordingQueue();
  const testEnv = { ...env, MAIL_QUEUE: mailQueue, ...overrides };
  const response = await worker.fetch(request, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  await drain(testEnv, mailQueue, { queueName: MAIL_QUEUE_NAME });
  return response;
}

const subscribeAt = (origin: string, overrides: Partial<Env>, email: string) =>
  fetchAt(`${origin}/api/subscribe`, overrides, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify({ email }),
  });

const production = { ENVIRONMENT: "production", SITE_URL: "" };
const digest = digests[0]!;

describe("production without SITE_URL", { timeout: 30_000 }, () => {
  it.each(["/", "/articles/zhang-hongjiang-interview", "/rss.xml", "/tags/访谈/atom.xml", `/digests/${digest.id}/preview`, `/digests/${digest.id}/editions/next`, "/confirm?token=x.y"])(
    "%s answers a 500 page naming SITE_URL, with no link to the forged Host",
    async (path) => {
      const response = await fetchAt(`${FORGED}${path}`, production);
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain("SITE_URL is not set");
      expect(page).not.toContain("evil.example");
    },
  );

  it("refuses a subscription with a JSON 500 and mails nothing", async () => {
    const email = freshEmail("no-site-url");
    const response = await subscribeAt(FORGED, production, email);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("missing_setting");
    expect(body.error.message).toContain("SITE_URL is not set");
    expect(await statusOf(email)).toBeNull();
    expect(await mailTo(email)).toEqual([]);
  });
});

describe("production with SITE_URL and a forged Host", { timeout: 30_000 }, () => {
  const withSiteUrl = { ENVIRONMENT: "production", SITE_URL: SITE };

  it("builds pages and feeds from SITE_URL", async () => {
    for (const path of ["/", "/rss.xml", "/feed.json", `/digests/${digest.id}/preview`]) {
      const response = await fetchAt(`${FORGED}${path}`, withSiteUrl);
      expect(response.status, path).toBe(200);
      const text = await response.text();
      expect(text, path).toContain(SITE);
      expect(text, path).not.toContain("evil.example");
    }
  });

  it("mails confirmation links to SITE_URL", async () => {
    const email = freshEmail("forged-host");
    expect((await subscribeAt(FORGED, withSiteUrl, email)).status).toBe(202);
    const [confirmation] = await mailTo(email);
    expect(confirmation?.text).toContain(`${SITE}/confirm?token=`);
    expect(confirmation?.html).not.toContain("evil.example");
    expect(confirmation?.text).not.toContain("evil.example");
  });
});

describe("development without SITE_URL", { timeout: 30_000 }, () => {
  const development = { ENVIRONMENT: "development", SITE_URL: "" };
  const LOCAL = "http://127.0.0.1:9876";

  it("builds links from the request's origin", async () => {
    const page = await (await fetchAt(`${LOCAL}/`, development)).text();
    expect(page).toContain(`<link rel="canonical" href="${LOCAL}/" />`);
    const email = freshEmail("dev-origin");
    expect((await subscribeAt(LOCAL, development, email)).status).toBe(202);
    expect((await mailTo(email))[0]?.text).toContain(`${LOCAL}/confirm?token=`);
  });
});
