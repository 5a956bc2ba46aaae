/**
 * The whole reader journey in a real browser: subscribe with the home page's form,
 * open the confirmation link from the local outbox, change preferences, unsubscribe.
 * Runs against `wrangler dev` machinery (unstable_startWorker) with a fresh local D1
 * that has the real migrations applied, and Debian's Chromium via playwright-core.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(import.meta.dirname, "../..");
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium && process.env.CI) {
  // In CI a missing browser is a broken setup, never a pass: .ci/run installs it.
  throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
}
if (!hasChromium) console.warn(`e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

describe.skipIf(!hasChromium)("reader journey in a browser", () => {
  let persistDir: string;
  let worker: Worker;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    persistDir = mkdtempSync(path.join(tmpdir(), "newsletter-e2e-"));
    execFileSync(
      process.execPath,
      [path.join(root, "node_modules/wrangler/bin/wrangler.js"), "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
      { cwd: root, stdio: "pipe", env: { ...process.env, CI: "true" } },
    );
    worker = await unstable_startWorker({
      config: path.join(root, "wrangler.toml"),
      // No .dev.vars: a developer's real RESEND_API_KEY must never send mail from a test.
      envFiles: [],
      bindings: { RESEND_API_KEY: { type: "plain_text", value: "" } },
      dev: {
        persist: persistDir,
        remote: false,
        watch: false,
        inspector: false,
        logLevel: "warn",
        server: { hostname: "127.0.0.1", port: 0 },
      },
    });
    await worker.ready;
    base = String(await worker.url).replace(/\/$/, "");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
    if (persistDir) rmSync(persistDir, { recursive: true, force: true });
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
    // Every page runs under the site's CSP (src/http/security-headers.ts): nothing may be refused.
    const refused: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) refused.push(message.text());
    });

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
    expect(refused).toEqual([]);
  });
});
