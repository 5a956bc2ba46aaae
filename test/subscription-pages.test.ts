/**
 * What a reader sees on the subscription pages: the choice of digests on the way in,
 * when the first email comes and how to keep it out of the junk folder, the confirmed
 * choice, and the preferences with their schedules.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDigest, offeredDigests } from "../src/digests/catalog.ts";
import { describeSchedule } from "../src/digests/describe-schedule.ts";
import { insertEdition } from "../src/digests/editions-store.ts";
import { nextRunOf } from "../src/digests/next-edition.ts";
import { formatBeijingSendTime } from "../src/text/beijing-time.ts";
import { activeSubscriber, call, confirmByButton, freshEmail, linkIn, mailTo, statusOf, subscribeForm, subscribeJson } from "./subscribe-helpers.ts";

const weekly = getDigest("weekly")!;
const interviews = getDigest("interview-highlights")!;

describe("subscribing from the form", { timeout: 20_000 }, () => {
  it("answers no digest checked with a 400 page that says so and keeps the address typed", async () => {
    const email = freshEmail("none-checked");
    const response = await subscribeForm([["email", email], ["digests-offered", "1"]]);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("请至少选择一份简报。");
    expect(page).toContain(`value="${email}"`);
    for (const digest of offeredDigests) expect(page).toContain(`name="digests" value="${digest.id}" />`);
    expect(await statusOf(email)).toBeNull();
    expect(await mailTo(email)).toEqual([]);
  });

  it("keeps what was entered on a page that rejects the address", async () => {
    const response = await subscribeForm([["email", "nobody"], ["digests-offered", "1"], ["digests", weekly.id]]);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("邮箱地址缺少 @");
    expect(page).toContain('value="nobody"');
    expect(page).toContain(`value="${weekly.id}" checked`);
    expect(page).toContain(`value="${interviews.id}" />`);
  });

  it("subscribes to the checked digests and says when the first one comes, in Beijing time", async () => {
    const email = freshEmail("first-email");
    const response = await subscribeForm([["email", email], ["digests-offered", "1"], ["digests", weekly.id], ["digests", interviews.id]]);
    expect(response.status).toBe(200);
    const page = await response.text();
    // The weekly (Monday) or the interviews (Friday), whichever comes first.
    const now = new Date();
    const first = [weekly, interviews].sort((a, b) => nextRunOf(a, now)!.getTime() - nextRunOf(b, now)!.getTime())[0]!;
    expect(page).toContain(
      `确认后，你将在 <strong class="nowrap">${formatBeijingSendTime(nextRunOf(first, now)!, now)}</strong>（北京时间）收到第一封「${first.title}」。`,
    );
    expect(page).toMatch(/\d{1,2} 月 \d{1,2} 日（周[一五]）0[89]:00/);
    expect(page).toContain("digest@example.com");
    expect(page).toMatch(/加入通讯录：QQ 邮箱、163 邮箱/);
    expect(page).toContain("设置 → 反垃圾 → 设置邮件地址白名单");
    expect(await mailTo(email)).toHaveLength(1);
  });

  it("does not promise an edition that has nothing new to send", async () => {
    await insertEdition(
      env.DB,
      { id: "weekly-already-sent", digestId: weekly.id, scheduledFor: null, subject: "s", itemSlugs: ["waic-ai-developer-forum-2021"], trigger: "manual" },
      new Date(),
    );
    const page = await (await subscribeForm([["email", freshEmail("nothing-new")], ["digests-offered", "1"], ["digests", weekly.id]])).text();
    expect(page).not.toContain("收到第一封");
    expect(page).toContain("确认后，你选择的简报一有新内容就会按计划发出。");
  });
});

describe("confirmed and preferences pages", () => {
  it("the confirmed page lists the chosen digests with their schedules in words", async () => {
    const email = freshEmail("confirmed-page");
    await subscribeJson(email, { digests: [interviews.id] });
    const page = await (await confirmByButton(linkIn((await mailTo(email))[0], "/confirm"))).text();
    expect(page).toContain(`<li><strong>${interviews.title}</strong><p class="meta">每周五 09:00（北京时间）</p></li>`);
    expect(page).not.toContain(weekly.title);
  });

  it("preferences show each digest's description and schedule; leaving all is a separate, destructive button", async () => {
    const links = await activeSubscriber(freshEmail("prefs-look"), [weekly.id]);
    const page = await (await call(links.preferences)).text();
    for (const digest of offeredDigests) {
      expect(page).toContain(`<span class="schedule">${describeSchedule(digest.schedule)}</span>`);
      expect(page).toContain(`<span class="description">${digest.description}</span>`);
    }
    const save = page.indexOf('<button class="primary" type="submit" name="action" value="save">保存</button>');
    const leave = page.indexOf('<button class="danger" type="submit" name="action" value="leave">全部退订</button>');
    expect(save).toBeGreaterThan(0);
    expect(leave).toBeGreaterThan(save);
    expect(page.slice(save, leave)).toContain('<div class="danger-zone">');
  });
});
