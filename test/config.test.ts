import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { getConfig } from "../src/config.ts";

const production = { ...env, ENVIRONMENT: "production", SITE_URL: "", SIGNING_SECRET: "", ADMIN_TOKEN: "" };
const deployed = { ...production, SITE_URL: "https://news.example.com" };

describe("configuration", () => {
  it("keeps serving the site and feeds when a secret is missing in production", async () => {
    for (const path of ["/", "/articles/zhang-hongjiang-interview", "/rss.xml", "/atom.xml", "/feed.json"]) {
      const res = await app.fetch(new Request(`https://news.example.com${path}`), deployed);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain("/articles/zhang-hongjiang-interview");
    }
  });

  it("names the missing secret when a route needs it", () => {
    const config = getConfig(deployed, "https://news.example.com");
    expect(() => config.signingSecret).toThrow("SIGNING_SECRET is not set: run `wrangler secret put SIGNING_SECRET`");
    expect(() => config.adminToken).toThrow("ADMIN_TOKEN is not set");
  });

  it("requires SITE_URL in production, with or without a request, and never takes the request's origin", () => {
    expect(() => getConfig(production).siteUrl).toThrow("SITE_URL is not set");
    expect(() => getConfig(production, "http://evil.example").siteUrl).toThrow("SITE_URL is not set");
    expect(getConfig(deployed, "http://evil.example").siteUrl).toBe("https://news.example.com");
    expect(getConfig({ ...production, ENVIRONMENT: "development" }, "http://127.0.0.1:9876").siteUrl).toBe("http://127.0.0.1:9876");
    expect(getConfig({ ...production, SITE_URL: "https://news.example.com/" }).siteUrl).toBe("https://news.example.com");
    expect(getConfig({ ...production, ENVIRONMENT: "development" }).siteUrl).toBe("http://localhost:8787");
  });
});
