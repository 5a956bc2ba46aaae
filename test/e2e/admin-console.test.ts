/**
 * The operator's journey through the console in a real browser, under the CSP the Worker
 * sends: sign in, import subscribers, send a test copy, send an edition that the
 * provider's daily quota stops (temporary failures), retry it, see the one address the
 * provider refuses listed as a permanent failure that retry no longer offers, and check
 * that a page without a session redirects and a cross-site POST is refused. Mail goes to
 * a fake Resend on 127.0.0.1 that answers the first edition batch with
 * daily_quota_exceeded and always refuses one address. Each page is checked at 375 and
 * 800 px, light and dark (layout-check.ts: no overflow, 44 px controls, no English outside
 * the allow-list); screenshots go to test/artifacts/admin/ (git-ignored).
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.ts";
import { checkLayout } from "./layout-check.ts";
import { root, startLocalWorker, type LocalWorker } from "./local-worker.ts";

const artifacts = path.join(root, "test/artifacts/admin");
const REFUSED = "refused@example.com";
const DIGEST = "weekly";

interface Received {
  to: string | string[];
  subject: string;
  tags?: { name: string; value: string }[];
}

/** A copy of an edition of DIGEST (a test copy is tagged edition "test"). */
const isEditionMail = (email: Received) => email.tags?.some((tag) => tag.name === "edition" && tag.value.startsWith(`${DIGEST}-`)) ?? false;

/**
 * Resend's POST /emails and /emails/batch (permissive): the first batch of an edition is
 * answered 429 daily_quota_exceeded (nothing sent), and REFUSED is always refused as an
 * invalid address, as Resend answers in permissive mode. The account stores no templates
 * (POST /templates is refused), so the copies carry their content inline.
 */
function fakeResend(received: Received[]): Server {
  let quotaUsedUp = true;
  return createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      if (request.url?.startsWith("/templates")) {
        response.statusCode = 422;
        response.end(JSON.stringify({ statusCode: 422, name: "validation_error", message: "templates are not available on this account" }));
        return;
      }
      if (request.url === "/emails/batch") {
        const emails = JSON.parse(body) as Received[];
        if (quotaUsedUp && emails.some(isEditionMail)) {
          quotaUsedUp = false;
          response.statusCode = 429;
          response.end(JSON.stringify({ statusCode: 429, name: "daily_quota_exceeded", message: "You have reached your daily email sending quota." }));
          return;
        }
        const data: { id: string }[] = [];
        const errors: { index: number; message: string }[] = [];
        emails.forEach((email, index) => {
          if (email.to === REFUSED) {
            errors.push({ index, message: `Invalid \`to\` field: ${REFUSED}` });
            return;
          }
          received.push(email);
          data.push({ id: `e${received.length}` });
        });
        response.end(JSON.stringify({ data, errors }));
        return;
      }
      received.push(JSON.parse(body) as Received);
      response.end(JSON.stringify({ id: `e${received.length}` }));
    });
  });
}

describe("operator console in a browser", () => {
  let worker: LocalWorker;
  let browser: Browser;
  let base: string;
  let resend: Server;
  const received: Received[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    resend = fakeResend(received);
    await new Promise<void>((resolve) => resend.listen(0, "127.0.0.1", resolve));
    const resendUrl = `http://127.0.0.1:${(resend.address() as AddressInfo).port}`;
    worker = await startLocalWorker({ RESEND_API_KEY: "re_e2e_fake", RESEND_BASE_URL: resendUrl });
    base = worker.base;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
    await new Promise((resolve) => resend?.close(resolve));
  });

  /** A tab that records any CSP violation the browser reports. */
  async function consolePage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  /** Each console page at 375 px and 800 px, light and dark, with a screenshot of each; back to the desktop width after. */
  async function shot(page: Page, name: string) {
    await checkLayout(page, path.join(artifacts, name), { siteHeader: false });
    await page.setViewportSize({ width: 800, height: 900 });
    await page.emulateMedia({ colorScheme: "light" });
  }

  it("signs in, imports, sends a test copy and an edition, retries its temporary failures only; guards sessions and origins", async () => {
    const anonymous = await fetch(`${base}/admin`, { redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/admin/login");

    const page = await consolePage();
    const login = await page.goto(`${base}/admin`);
    expect(page.url()).toBe(`${base}/admin/login`);
    // Every console page works under the CSP the Worker sends (src/http/security-headers.ts).
    expect(login?.headers()["content-security-policy"]).toContain("default-src 'none'");
    await shot(page, "01-login");
    await page.getByLabel("运营令牌（ADMIN_TOKEN）").fill("dev-admin-token");
    await page.getByRole("button", { name: "登录" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("概览");

    await page.goto(`${base}/admin/subscribers`);
    await shot(page, "02-subscribers-empty");
    await page.locator('input[type="file"]').setInputFiles({
      name: "list.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`email,consent,digests\nada@example.com,yes,${DIGEST}\nbo@example.com,yes,${DIGEST}\n${REFUSED},yes,${DIGEST}\nnot-an-address,yes,\n`),
    });
    await page.getByRole("button", { name: "导入" }).click();
    await expect.poll(() => page.locator('[data-report="created"]').textContent()).toBe("3");
    expect(await page.locator('[data-report="rejected"]').textContent()).toBe("1");
    await shot(page, "02-subscribers-import");
    await page.goto(`${base}/admin/subscribers`);
    await shot(page, "02-subscribers");
    await page.getByRole("link", { name: "删除…" }).first().click();
    await expect.poll(() => page.url()).toContain("/admin/subscribers/erase?");
    await shot(page, "02-subscriber-erase-confirm");

    await page.goto(`${base}/admin/digests/${DIGEST}`);
    expect(await page.locator('[data-field="recipients"]').textContent()).toBe("3");
    await page.getByLabel("收件地址").fill("operator@example.net");
    await page.getByRole("button", { name: "发送测试邮件" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("测试邮件已发送，请到收件箱查看。");
    expect(received.filter((m) => m.to === "operator@example.net" || (Array.isArray(m.to) && m.to.includes("operator@example.net")))[0]?.subject).toMatch(/^\[测试\] /);
    await shot(page, "03-digest");

    await page.getByRole("button", { name: "立即发送…" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("确认发送");
    await shot(page, "04-send-confirm");
    await page.getByRole("button", { name: "确认发送给 3 位订阅者" }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/admin/editions/${DIGEST}-\\d{4}-\\d{2}-\\d{2}$`));
    // console.js updates the page in place until the edition is done: the quota stopped it.
    await expect.poll(() => page.locator('[data-field="status"]').textContent(), { timeout: 60_000 }).toBe("已中止");
    // The page stops updating once the edition is stopped: the stop is written after the failures it caused.
    expect(await page.locator('[data-count="failed"]').textContent()).toBe("3");
    expect(await page.locator('[data-failed="temporary"]').textContent()).toBe("3");
    expect(await page.locator('[data-failed="permanent"]').textContent()).toBe("0");
    await page.reload();
    expect(await page.locator('table.failures[data-kind="temporary"]').textContent()).toContain(REFUSED);
    await shot(page, "05-edition-stopped");

    await page.getByRole("button", { name: "重试 3 位临时失败的收件人" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("已将 3 位临时失败的收件人重新排入发送队列");
    await expect.poll(() => page.locator('[data-field="status"]').textContent(), { timeout: 60_000 }).toBe("部分失败（1 位未送达）");
    expect(await page.locator('[data-count="sent"]').textContent()).toBe("2");
    expect(await page.locator('[data-failed="permanent"]').textContent()).toBe("1");
    expect(await page.locator('[data-failed="temporary"]').textContent()).toBe("0");
    await page.reload();
    expect(await page.locator('table.failures[data-kind="permanent"]').textContent()).toContain(REFUSED);
    // Only the provider's refusal of the address is left: nothing to retry, and the page says why.
    const retry = page.getByRole("button", { name: "重试临时失败的收件人" });
    expect(await retry.isDisabled()).toBe(true);
    expect(await page.locator("#retry-reason").textContent()).toContain("永久失败（地址无效或退信）");
    await shot(page, "06-edition-retried");
    expect(received.filter((m) => m.to === REFUSED)).toHaveLength(0);
    const editionMail = received.filter(isEditionMail);
    expect(editionMail.map((m) => m.to).sort()).toEqual(["ada@example.com", "bo@example.com"]);

    await page.goto(`${base}/admin`);
    expect(await page.locator('[data-status="active"]').textContent()).toBe("3");
    await shot(page, "07-dashboard");

    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "admin_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });
    const crossSite = await fetch(`${base}/admin/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "https://evil.example", Cookie: `admin_session=${session?.value}` },
    });
    expect(crossSite.status).toBe(403);

    await page.getByRole("button", { name: "退出登录" }).click();
    await expect.poll(() => page.url()).toBe(`${base}/admin/login`);
    await page.goto(`${base}/admin/subscribers`);
    expect(page.url()).toBe(`${base}/admin/login`);
    // Signing out ended the session itself: the cookie copied before opens nothing.
    const copied = await fetch(`${base}/admin`, { redirect: "manual", headers: { Cookie: `admin_session=${session?.value}` } });
    expect(copied.status).toBe(303);
    expect(copied.headers.get("Location")).toBe("/admin/login");
    expect(cspViolations).toEqual([]);
  });
});
