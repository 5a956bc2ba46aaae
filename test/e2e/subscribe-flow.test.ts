/**
 * The whole reader journey in a real browser: subscribe with the home page's form,
 * open the confirmation link from the local outbox, change preferences, unsubscribe.
 * Runs against `wrangler dev` machinery (unstable_startWorker) with a fresh local D1
 * that has the real migrations applied, and Debian's Chromium via playwright-core.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, startLocalWorker, type LocalWorker } from "./local-worker.ts";

describe.skipIf(!hasChromium)("reader journey in a browser", () => {
  let worker: LocalWorker;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    worker = await startLocalWorker({ RESEND_API_KEY: "" });
    base = worker.base;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  /** The confirmation mail is sent after the response (waitUntil): reload /outbox until it shows up. */
  async function confirmationLinkFromOutbox(page: Page, email: string): Promise<string> {
    for (let attempt = 0; attempt < 30; attempt++) {
      await page.goto(`${base}/outbox`);
      const message = page.locator("article.message", { has: page.locator(".to", { hasText: email }) }).first();
      if ((await message.count()) > 0) {
        const link = message.frameLocator("iframe").getByRole("link", { name: "确认订阅" });
        const href = await link.getAttribute("href");
        if (href) return href;
      }
      await page.waitForTimeout(500);
    }
    throw new Error(`no confirmation email for ${email} in /outbox`);
  }

  it("subscribes from the home page, confirms from the outbox, changes preferences and unsubscribes", async () => {
    const email = "reader@example.org";
    const page = await browser.newPage();

    await page.goto(`${base}/`);
    await page.getByLabel("邮件订阅精选摘要").fill(email);
    await page.getByRole("button", { name: "订阅" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("请查收确认邮件");

    const confirmUrl = await confirmationLinkFromOutbox(page, email);
    expect(confirmUrl).toMatch(new RegExp(`^${base}/confirm\\?token=`));
    await page.goto(confirmUrl);
    expect(await page.locator("h1").textContent()).toBe("订阅成功");
    const unsubscribeUrl = await page.getByRole("link", { name: "退订" }).getAttribute("href");

    await page.getByRole("link", { name: "管理订阅" }).click();
    expect(await page.locator("h1").textContent()).toBe("管理订阅");
    const boxes = page.locator('input[type="checkbox"][name="digests"]');
    const count = await boxes.count();
    expect(count).toBeGreaterThan(1);
    for (let i = 0; i < count; i++) expect(await boxes.nth(i).isChecked()).toBe(true);
    const dropped = await boxes.first().getAttribute("value");
    await boxes.first().uncheck();
    await page.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("已保存");
    await page.reload();
    expect(await page.locator(`input[value="${dropped}"]`).isChecked()).toBe(false);
    expect(await page.locator('input[name="digests"]:checked').count()).toBe(count - 1);

    await page.goto(unsubscribeUrl ?? "");
    expect(await page.getByRole("button").count()).toBe(1);
    await page.getByRole("button", { name: "退订全部摘要" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("已退订");

    // What the operator sees agrees with what the reader did.
    const listed = await fetch(`${base}/api/subscribers`, { headers: { Authorization: "Bearer dev-admin-token" } });
    const { subscribers } = (await listed.json()) as { subscribers: { email: string; status: string; digests: string[] }[] };
    expect(subscribers).toHaveLength(1);
    expect(subscribers[0]).toMatchObject({ email, status: "unsubscribed" });
    expect(subscribers[0]?.digests).not.toContain(dropped);
    expect(subscribers[0]?.digests).toHaveLength(count - 1);
  });
});
