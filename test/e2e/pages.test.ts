/**
 * Every page of the site as a reader sees it, on a phone (375 px) and a desktop (800 px),
 * in light and dark mode: nothing overflows sideways, the header's links fit on one line,
 * every form control (text field, button, checkbox with its label) is a tap target at
 * least 44 px tall, no English outside the allow-list shows, and the share tags are there
 * with the right values (layout-check.ts). Screenshots of each land in test/artifacts/pages/
 * (git-ignored) for a person to look at. The reader's whole journey runs here too, on the
 * same Worker and browser (a Worker of its own cost a file more than its test).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmationLinkFromOutbox, root, startHarness, type Harness } from "./harness.ts";
import { checkLayout as checkLayoutIn, type ViewOptions } from "./layout-check.ts";

const ARTIFACTS = path.join(root, "test/artifacts/pages");
/** Public pages (a canonical address a reader shares) carry the full share tags; the rest the basic set. */
const checkLayout = (page: Page, name: string, options: ViewOptions = { share: "basic" }) => checkLayoutIn(page, path.join(ARTIFACTS, name), options);
const PUBLIC: ViewOptions = { share: "public" };
describe("pages at 375 px and 800 px, light and dark", () => {
  let harness: Harness;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    harness = await startHarness();
    base = harness.base;
    page = await harness.browser.newPage();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const open = async (pathname: string, status = 200) => {
    const response = await page.goto(`${base}${pathname}`);
    expect(response?.status(), pathname).toBe(status);
  };

  it.each([
    ["home", "/"],
    ["article-interview", "/articles/zhang-hongjiang-interview"],
    ["article-event", "/articles/waic-ai-developer-forum-2021"],
    ["tag", `/tags/${encodeURIComponent("访谈")}`],
    ["digests", "/digests"],
    ["digest-archive", "/digests/weekly"],
    ["edition-next", "/digests/interview-highlights/editions/next"],
  ])("%s (%s)", async (name, pathname) => {
    await open(pathname);
    await checkLayout(page, name, PUBLIC);
  });

  it("wraps headings and quotes with text-wrap: pretty; an edition's short names and a quote's last characters stay on one line", async () => {
    await open("/articles/zhang-hongjiang-interview");
    const wraps = (await page.evaluate(`[...document.querySelectorAll("h1, h2, h3, blockquote")].map((el) => getComputedStyle(el).textWrapStyle)`)) as string[];
    expect(wraps.length).toBeGreaterThan(1);
    expect(new Set(wraps)).toEqual(new Set(["pretty"]));
    await page.setViewportSize({ width: 375, height: 800 });
    await open("/digests/interview-highlights/editions/next");
    const kept = (await page.evaluate(
      `[...document.querySelectorAll('span[style*="nowrap"]')].map((el) => ({ text: el.textContent, lines: el.getClientRects().length }))`,
    )) as { text: string; lines: number }[];
    expect(kept.map((span) => span.text)).toEqual(expect.arrayContaining(["机器之心", "闻菲", "功利。」"]));
    expect(kept.filter((span) => span.lines !== 1)).toEqual([]);
  });

  it("404", async () => {
    await open("/articles/no-such-article", 404);
    await checkLayout(page, "not-found");
  });

  it("an edition's web version", async () => {
    const opened = await fetch(`${base}/api/sends`, {
      method: "POST",
      headers: { Authorization: "Bearer dev-admin-token", "Content-Type": "application/json" },
      body: JSON.stringify({ digest: "weekly", force: true }),
    });
    expect(opened.status).toBe(202);
    const { edition } = (await opened.json()) as { edition: string };
    await open("/digests/weekly");
    await checkLayout(page, "digest-archive-with-edition", PUBLIC);
    await open(`/digests/weekly/editions/${encodeURIComponent(edition)}`);
    await checkLayout(page, "edition-web-version", PUBLIC);
    // The site around the email: its way back to the archive, and a subscribe form for this digest.
    expect(await page.getByRole("link", { name: "全部往期" }).first().getAttribute("href")).toBe("/digests/weekly");
    expect(await page.locator('form.subscribe input[value="weekly"]').isChecked()).toBe(true);
  });

  it("serves each page's share card and the favicon set as images", async () => {
    for (const pathname of ["/", "/articles/zhang-hongjiang-interview", "/digests/weekly", "/digests/weekly/editions/next"]) {
      const html = await (await fetch(`${base}${pathname}`)).text();
      const image = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
      expect(image, pathname).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cards\/.+\.png$/);
      const card = await fetch(image!);
      expect(card.status, image).toBe(200);
      expect(card.headers.get("content-type")).toBe("image/png");
      const bytes = new DataView(await card.arrayBuffer());
      expect([bytes.getUint32(16), bytes.getUint32(20)], image).toEqual([1200, 630]);
    }
    for (const [icon, type] of <const>[
      ["/favicon.svg", "image/svg+xml"],
      ["/favicon-32.png", "image/png"],
      ["/apple-touch-icon.png", "image/png"],
      ["/favicon.ico", "image/vnd.microsoft.icon"],
    ]) {
      const res = await fetch(`${base}${icon}`);
      expect(res.status, icon).toBe(200);
      expect(res.headers.get("content-type"), icon).toBe(type);
    }
  });

  it("subscribing with no digest chosen", async () => {
    await open("/");
    for (const box of await page.locator('form.subscribe input[name="digests"]').all()) await box.uncheck();
    await page.locator("form.subscribe input[type=email]").fill("nobody-chosen@example.org");
    await page.locator("form.subscribe button[type=submit]").click();
    await page.waitForLoadState();
    await checkLayout(page, "subscribe-no-digest");
  });

  it("subscribing with an address the server refuses (the browser's own check switched off, as an old browser has none)", async () => {
    await open("/");
    await page.evaluate(`document.querySelector("form.subscribe").noValidate = true`);
    await page.locator("form.subscribe input[type=email]").fill("name@qq");
    await page.locator("form.subscribe button[type=submit]").click();
    await expect.poll(() => page.locator("main").textContent()).toContain("@ 后面的域名不完整");
    await checkLayout(page, "subscribe-bad-address");
  });

  it("a forwarded email's subscribe link, and a digest's unsubscribe link before and after one-click", async () => {
    const email = "forwarded@example.org";
    await open("/?digest=interview-highlights#subscribe");
    expect(await page.locator('form.subscribe input[value="interview-highlights"]').isChecked()).toBe(true);
    await checkLayout(page, "home-digest-named", PUBLIC);
    await page.locator("form.subscribe input[type=email]").fill(email);
    await page.locator("form.subscribe button[type=submit]").click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("请查收确认邮件");
    await page.goto(await confirmationLinkFromOutbox(page, base, email));
    // Opening the link only asks; the button confirms (a link scanner cannot).
    await page.getByRole("button", { name: "确认订阅" }).click();
    const preferencesUrl = await page.getByRole("link", { name: "管理订阅" }).getAttribute("href");
    await page.goto(preferencesUrl ?? "");
    await page.locator('input[value="weekly"]').check();
    await page.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("已保存");

    const opened = await fetch(`${base}/api/sends`, {
      method: "POST",
      headers: { Authorization: "Bearer dev-admin-token", "Content-Type": "application/json" },
      body: JSON.stringify({ digest: "interview-highlights", force: true }),
    });
    expect(opened.status).toBe(202);
    let link = "";
    await expect
      .poll(async () => {
        const { messages } = (await (await fetch(`${base}/outbox?format=json`)).json()) as {
          messages: { to: string; headers?: Record<string, string> }[];
        };
        link = messages.find((m) => m.to === email && m.headers?.["List-Unsubscribe"])?.headers?.["List-Unsubscribe"]?.slice(1, -1) ?? "";
        return link;
      }, { timeout: 15_000 })
      .not.toBe("");

    await page.goto(link);
    expect(await page.getByRole("button", { name: "只退订「访谈精选」" }).count()).toBe(1);
    await checkLayout(page, "unsubscribe-digest");

    const oneClick = await fetch(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    await page.goto(link);
    expect(await page.locator("h1").textContent()).toBe("已退订「访谈精选」");
    expect(await page.getByRole("button", { name: "也退订「每周精选」" }).count()).toBe(1);
    await checkLayout(page, "unsubscribe-digest-left");
  });

  it("the subscription pages: success, confirm, preferences, unsubscribe, unsubscribed", async () => {
    const email = "pages@example.org";
    await open("/");
    await page.locator("form.subscribe input[type=email]").fill(email);
    await page.locator("form.subscribe button[type=submit]").click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("请查收确认邮件");
    await checkLayout(page, "subscribe-success");

    const confirmUrl = await confirmationLinkFromOutbox(page, base, email);
    await page.goto(confirmUrl);
    await checkLayout(page, "confirm-prompt");
    await page.getByRole("button", { name: "确认订阅" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("订阅成功");
    await checkLayout(page, "confirm");
    const preferencesUrl = await page.getByRole("link", { name: "管理订阅" }).getAttribute("href");
    const unsubscribeUrl = await page.getByRole("link", { name: "退订" }).getAttribute("href");

    await page.goto(preferencesUrl ?? "");
    expect(await page.locator("h1").textContent()).toBe("管理订阅");
    await checkLayout(page, "preferences");

    await page.goto(unsubscribeUrl ?? "");
    expect(await page.locator("h1").textContent()).toBe("退订");
    await checkLayout(page, "unsubscribe");
    await page.getByRole("button", { name: "退订全部简报" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("已退订");
    await checkLayout(page, "unsubscribed");
  });

  // The whole reader journey, on the same Worker: subscribe with the home page's form, open
  // the confirmation link from the local outbox, change preferences, unsubscribe.
  it("a reader subscribes from the home page, confirms from the outbox, changes preferences and unsubscribes", async () => {
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

    const confirmUrl = await confirmationLinkFromOutbox(page, base, email);
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
    const reader = subscribers.filter((subscriber) => subscriber.email === email);
    expect(reader).toHaveLength(1);
    expect(reader[0]).toMatchObject({ email, status: "unsubscribed" });
    expect(reader[0]?.digests).toEqual(expect.arrayContaining(["weekly", added]));
    expect(reader[0]?.digests).toHaveLength(2);
    expect(refused).toEqual([]);
    await page.close();
  });
});
