import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertOutboxMessages, type OutboxMessage } from "../src/email/outbox-store.ts";
import { call } from "./subscribe-helpers.ts";

const development = { ENVIRONMENT: "development" };

async function store(subject: string, to: string) {
  await insertOutboxMessages(
    env.DB,
    [
      {
        email: {
          from: "AI 前沿精选 <digest@example.com>",
          to,
          subject,
          html: `<p>正文 ${subject} <a href="http://example.com/confirm?token=t.s">确认</a></p>`,
          text: `正文 ${subject}`,
          headers: { "List-Unsubscribe": "<http://example.com/unsubscribe?token=u.s>" },
        },
        idempotencyKey: null,
      },
    ],
    new Date(),
  );
}

describe("GET /outbox", () => {
  it("does not exist outside development", async () => {
    const response = await call("/outbox");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("找不到页面");
    expect((await call("/outbox?format=json", {}, { ENVIRONMENT: "production" })).status).toBe(404);
  });

  it("lists messages newest first as JSON, with headers, html and text", async () => {
    await store("第一封 <older>", "older@example.org");
    await store("第二封", "newer@example.org");
    const response = await call("/outbox?format=json", {}, development);
    expect(response.status).toBe(200);
    const { messages } = (await response.json()) as { messages: OutboxMessage[] };
    const ours = messages.filter((message) => message.to === "older@example.org" || message.to === "newer@example.org");
    expect(ours.map((message) => message.subject)).toEqual(["第二封", "第一封 <older>"]);
    expect(ours[0]).toMatchObject({
      from: "AI 前沿精选 <digest@example.com>",
      headers: { "List-Unsubscribe": "<http://example.com/unsubscribe?token=u.s>" },
      text: "正文 第二封",
    });
    expect(ours[0]?.html).toContain('<a href="http://example.com/confirm?token=t.s">');
  });

  it("renders an HTML page with each message's headers, html (in a sandboxed frame) and text, escaped", async () => {
    await store("页面 <script>alert(1)</script>", "page@example.org");
    const response = await call("/outbox", {}, development);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('lang="zh-CN"');
    expect(page).toContain("本地发件箱");
    expect(page).toContain("页面 &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
    expect(page).toContain("page@example.org");
    expect(page).toMatch(/<iframe[^>]+sandbox="[^"]*"[^>]+srcdoc="&lt;p&gt;正文/);
    expect(page).toContain("List-Unsubscribe");
    expect(page).toContain("正文 页面");
  });
});
