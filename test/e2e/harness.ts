/**
 * What every browser test needs: a real local Worker (wrangler's unstable_startWorker) on a
 * free port with a fresh persisted D1 that has the real migrations applied, Debian's
 * Chromium through playwright-core, and the confirmation link of a subscription read from
 * the local outbox.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { unstable_startWorker } from "wrangler";
import { launchChromium } from "./chromium.ts";

export const root = path.resolve(import.meta.dirname, "../..");

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

export interface Harness {
  /** The Worker's origin, without a trailing slash. */
  base: string;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const persistDir = mkdtempSync(path.join(tmpdir(), "newsletter-e2e-"));
  let worker: Worker | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await worker?.dispose();
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
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
    const base = String(await worker.url).replace(/\/$/, "");
    browser = await launchChromium();
    return { base, browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The confirmation mail is sent after the response (waitUntil): reload /outbox until it shows up. */
export async function confirmationLinkFromOutbox(page: Page, base: string, email: string): Promise<string> {
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
