/**
 * What a reader's browser test needs: the local Worker (mail goes to its /outbox), Debian's
 * Chromium, and the confirmation link of a subscription read from the outbox.
 */
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./chromium.ts";
import { startLocalWorker, type LocalWorker } from "./local-worker.ts";

export { root } from "./local-worker.ts";

export interface Harness {
  /** The Worker's origin, without a trailing slash. */
  base: string;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  let worker: LocalWorker | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await worker?.dispose();
  };
  try {
    // No key: every mail lands in the local outbox, never at a real provider.
    worker = await startLocalWorker({ RESEND_API_KEY: "" });
    browser = await launchChromium();
    return { base: worker.base, browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The confirmation mail is sent by the mail queue's consumer, after the answer: reload /outbox until it shows up. */
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
