/**
 * After confirming: the confirmed page says when the first email comes (as the subscribe
 * success page does), and a welcome email links to each chosen digest's latest edition,
 * unless the digest turns welcoming off (`welcome: false`, as waic-forum does).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDigest } from "../src/digests/catalog.ts";
import { insertEdition } from "../src/digests/editions-store.ts";
import { nextRunOf } from "../src/digests/next-edition.ts";
import { formatBeijingSendTime } from "../src/text/beijing-time.ts";
import { getConfig } from "../src/config.ts";
import { getSubscriberByEmail } from "../src/subscribers/store.ts";
import { welcomeFollowUp } from "../src/subscribers/welcome.ts";
import { call, confirmByButton, freshEmail, linkIn, mailTo, subscribeJson } from "./subscribe-helpers.ts";

const weekly = getDigest("weekly")!;
const interviews = getDigest("interview-highlights")!;
const waic = getDigest("waic-forum")!;

const welcomes = async (email: string) => (await mailTo(email)).filter((message) => message.subject.startsWith("欢迎订阅"));

describe("after confirming", { timeout: 20_000 }, () => {
  it("the digests welcome unless turned off: waic-forum's file says welcome: false", () => {
    expect(weekly.welcome).toBe(true);
    expect(interviews.welcome).toBe(true);
    expect(waic.welcome).toBe(false);
  });

  it("the confirmed page says when the first email comes, in Beijing time", async () => {
    const email = freshEmail("confirmed-first");
    await subscribeJson(email, { digests: [interviews.id] });
    const page = await (await confirmByButton(linkIn((await mailTo(email))[0], "/confirm"))).text();
    const now = new Date();
    expect(page).toContain(
      `你将在 <strong class="nowrap">${formatBeijingSendTime(nextRunOf(interviews, now)!, now)}</strong>（北京时间）收到第一封「${interviews.title}」。`,
    );
    expect(page).not.toContain("确认后，");
  });

  it("a welcome email links to the latest edition's web version, which opens", async () => {
    await insertEdition(
      env.DB,
      { id: "weekly-welcome-older", digestId: weekly.id, scheduledFor: null, subject: "旧的一期", itemSlugs: [], trigger: "manual" },
      new Date(Date.now() - 60_000),
    );
    await insertEdition(
      env.DB,
      { id: "weekly-welcome-latest", digestId: weekly.id, scheduledFor: null, subject: "最近一期", itemSlugs: [], trigger: "manual" },
      new Date(),
    );
    const email = freshEmail("welcomed");
    await subscribeJson(email, { digests: [weekly.id, interviews.id] });
    const link = linkIn((await mailTo(email))[0], "/confirm");
    // Opening the link confirms nothing, so it welcomes no one.
    await call(link);
    expect(await welcomes(email)).toEqual([]);

    expect((await confirmByButton(link)).status).toBe(200);
    const [welcome, ...more] = await welcomes(email);
    expect(more).toEqual([]);
    expect(welcome?.subject).toBe("欢迎订阅「AI 前沿精选」");
    const latest = "http://example.com/digests/weekly/editions/weekly-welcome-latest";
    expect(welcome?.html).toContain(`href="${latest}"`);
    expect(welcome?.text).toContain(latest);
    expect(welcome?.text).not.toContain("weekly-welcome-older");
    // The interviews have no edition yet: the email says the first one comes by mail.
    expect(welcome?.text).toContain("第一期发出后会直接送到你的邮箱。");
    expect(welcome?.text).toMatch(/你将在 .+（北京时间）收到第一封「/);
    const page = await call(latest.slice("http://example.com".length));
    expect(page.status).toBe(200);
    // Its own links are the reader's: unsubscribe and preferences open their pages.
    expect((await call(linkIn(welcome, "/unsubscribe"))).status).toBe(200);
  });

  it("a reader of digests that all turn welcoming off gets no welcome email", async () => {
    // waic-forum (welcome: false) has ended and can no longer be chosen: the switch is
    // checked on a confirmed reader as if that were their only digest.
    const email = freshEmail("unwelcomed");
    await subscribeJson(email, { digests: [weekly.id] });
    expect((await confirmByButton(linkIn((await mailTo(email))[0], "/confirm"))).status).toBe(200);
    const reader = (await getSubscriberByEmail(env.DB, email))!;
    const config = getConfig(env);
    expect(welcomeFollowUp(env.DB, config, { ...reader, digests: [waic.id] }, null, new Date())).toBeNull();
    expect(welcomeFollowUp(env.DB, config, reader, null, new Date())).not.toBeNull();
  });

  it("a welcome goes out once: a second confirmation of the same link sends nothing", async () => {
    const email = freshEmail("welcomed-once");
    await subscribeJson(email, { digests: [weekly.id] });
    const link = linkIn((await mailTo(email))[0], "/confirm");
    await Promise.all([confirmByButton(link), confirmByButton(link)]);
    await confirmByButton(link);
    expect(await welcomes(email)).toHaveLength(1);
  });
});
