/**
 * What a request that no route answers gets (issues 18.11 and 19.1): a path that exists
 * with other methods answers 405 with Allow; an unknown path answers the Chinese 404 page
 * with the pages' security headers. JSON only under /api and /webhooks.
 */
import { describe, expect, it } from "vitest";
import { call } from "./subscribe-helpers.ts";

const ADMIN = { Authorization: "Bearer test-admin-token-of-at-least-32-bytes" };

function expectSecurityHeaders(response: Response, label: string) {
  expect(response.headers.get("content-type"), label).toMatch(/^text\/html; charset=utf-8$/i);
  expect(response.headers.get("content-security-policy"), label).toContain("default-src 'none'");
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(response.headers.get("x-frame-options"), label).toBe("DENY");
  expect(response.headers.get("referrer-policy"), label).toBe("strict-origin-when-cross-origin");
}

async function apiError(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("unknown paths", () => {
  it.each(["/about", "/digests/", "/articles/zhang-hongjiang-interview/", "/tags/", "/favicon.ico", "/rss.xml/", "/admin/../etc/passwd", "/apix", "/webhooksx/resend"])(
    "%s answers the Chinese 404 page with security headers",
    async (path) => {
      const response = await call(path);
      expect(response.status, path).toBe(404);
      expectSecurityHeaders(response, path);
      const page = await response.text();
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).toContain("<h1>找不到页面</h1>");
      expect(page).toContain('<a href="/">返回首页</a>');
      expect(page).not.toContain('"error"');
    },
  );

  it("names the path on the page, escaped", async () => {
    const page = await (await call("/about<script>")).text();
    expect(page).toContain("这个网站上没有「<code>/about&lt;script&gt;</code>」这个地址。");
    expect(page).not.toContain("<script>");
  });

  it.each(["/api", "/api/", "/api/nope", "/webhooks/nope", "/webhooks"])("%s answers JSON 404", async (path) => {
    const response = await call(path, { headers: ADMIN });
    expect(response.status, path).toBe(404);
    expect((await apiError(response)).code).toBe("not_found");
  });
});

describe("a wrong method on an existing path", () => {
  it.each([
    ["POST", "/rss.xml", "GET, HEAD"],
    ["PUT", "/atom.xml", "GET, HEAD"],
    ["DELETE", "/", "GET, HEAD"],
    ["POST", "/articles/zhang-hongjiang-interview", "GET, HEAD"],
    ["PATCH", "/tags/%E8%AE%BF%E8%B0%88", "GET, HEAD"],
    ["POST", "/digests", "GET, HEAD"],
    ["POST", "/digests/weekly/preview", "GET, HEAD"],
    ["DELETE", "/unsubscribe", "GET, HEAD, POST"],
    ["PUT", "/confirm", "GET, HEAD, POST"],
  ])("%s %s answers the 405 page with Allow: %s", async (method, path, allow) => {
    const response = await call(path, { method });
    expect(response.status, `${method} ${path}`).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expectSecurityHeaders(response, path);
    const page = await response.text();
    expect(page).toContain("<h1>不支持这种请求方式</h1>");
    expect(page).toContain(`这个地址不接受 ${method} 请求`);
  });

  it("answers JSON 405 with Allow under /api and /webhooks", async () => {
    for (const [method, path, allow] of [
      ["GET", "/api/subscribe", "POST"],
      ["HEAD", "/api/subscribe", "POST"],
      ["DELETE", "/api/subscribe", "POST"],
      ["GET", "/webhooks/resend", "POST"],
      ["PUT", "/api/subscribers/import", "DELETE, POST"],
      ["POST", "/api/subscribers.csv", "GET, HEAD"],
      ["GET", "/api/sends", "POST"],
      ["POST", "/api/openapi.json", "GET, HEAD"],
    ] as const) {
      const response = await call(path, { method, headers: ADMIN });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
      if (method === "HEAD") continue;
      const error = await apiError(response);
      expect(error.code).toBe("method_not_allowed");
      expect(error.message).toBe(`${method} is not allowed on ${path}; allowed: ${allow}`);
    }
  });

  it("still answers the operator's authentication first: no route list for a stranger", async () => {
    const response = await call("/api/sends", { method: "GET" });
    expect(response.status).toBe(401);
    await response.arrayBuffer();
  });

  it("leaves the right methods alone", async () => {
    for (const [method, path] of [["GET", "/rss.xml"], ["HEAD", "/"], ["GET", "/digests"]] as const) {
      const response = await call(path, { method });
      expect(response.status, `${method} ${path}`).toBe(200);
      await response.arrayBuffer();
    }
  });
});
