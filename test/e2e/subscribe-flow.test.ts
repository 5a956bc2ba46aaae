/**
 * The whole reader journey in a real browser: subscribe with the home page's form,
 * open the confirmation link from the local outbox, change preferences, unsubscribe.
 * Runs against `wrangler dev` machinery (unstable_startWorker) with a fresh local D1
 * that has the real migrations applied, and Debian's Chromium via playwright-core.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmationLinkFromOutbox as fromOutbox, startHarness, type Harness } from "./harness.ts";

describe("reader journey in a browser", () => {
  let harness: Harness;
  let base: string;

  beforeAll(async () => {
    harness = await startHarness();
    base = harness.base;
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const confirmationLinkFromOutbox = (page: Page, email: string) => fromOutbox(page, base, email);

  it("subscribes from the home page, confirms from the outbox, changes preferences and unsubscribes", async () => {
    const email = "reader@example.org";
    const page = await harness.browser.newPage();
    // Every page runs under the site's CSP (src/http/security-headers.ts): nothing may be refused.
    const refused: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) refused.push(message.text());
    });

    await page.goto(`${base}/`);
    await page.getByLabel("你的邮箱").fill(email);
    await page.getByRole("button", { name: "订阅" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("请查收确认邮件");

    const confirmUrl = await confirmationLinkFromOutbox(page, email);
    expect(confirmUrl).toMatch(new RegExp(`^${base}/confirm\\?token=`));
    await page.goto(confirmUrl);
    // Opening the link only asks; the button confirms (a link scanner never clicks it).
    expect(await page.locator("h1").textContent()).toBe("确认订阅");
    await page.getByRole("button", { name: "确认订阅" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("订阅成功");
    const unsubscribeUrl = await page.getByRole("link", { name: "退订" }).getAttribute("href");

    await page.getByRole("link", { name: "管理订阅" }).click();
    expect(await page.locator("h1").textContent()).toBe("管理订阅");
    const boxes = page.locator('input[type="checkbox"][name="digests"]');
    expect(await boxes.count()).toBeGreaterThan(1);
    // The form offered the main digest checked, and that is what was subscribed.
    expect(await page.locator('input[name="digests"]:checked').getAttribute("value")).toBe("weekly");
    const added = (await page.locator('input[name="digests"]:not(:checked)').first().getAttribute("value")) ?? "";
    await page.locator(`input[value="${added}"]`).check();
    await page.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("已保存");
    await page.reload();
    expect(await page.locator(`input[value="${added}"]`).isChecked()).toBe(true);
    expect(await page.locator('input[name="digests"]:checked').count()).toBe(2);

    await page.goto(unsubscribeUrl ?? "");
    expect(await page.getByRole("button").count()).toBe(1);
    await page.getByRole("button", { name: "退订全部简报" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("已退订");

    // What the operator sees agrees with what the reader did.
    const listed = await fetch(`${base}/api/subscribers`, { headers: { Authorization: "Bearer dev-admin-token" } });
    const { subscribers } = (await listed.json()) as { subscribers: { email: string; status: string; digests: string[] }[] };
    expect(subscribers).toHaveLength(1);
    expect(subscribers[0]).toMatchObject({ email, status: "unsubscribed" });
    expect(subscribers[0]?.digests).toEqual(expect.arrayContaining(["weekly", added]));
    expect(subscribers[0]?.digests).toHaveLength(2);
    expect(refused).toEqual([]);
  });
});
