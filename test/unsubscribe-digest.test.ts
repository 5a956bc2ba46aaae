/**
 * One-click unsubscribe leaves that digest only. The List-Unsubscribe link of a digest
 * email names the digest (in its signed token); an RFC 8058 POST removes only that
 * subscription and mails nothing (the mailbox provider sent it, not a person); the page
 * offers leaving that digest or everything; the last digest gone, the reader is unsubscribed.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { recipientLinks } from "../src/subscribers/links.ts";
import { signToken } from "../src/subscribers/tokens.ts";
import { activeSubscriber, call, digestsOf, freshEmail, mailTo, oneClick, statusOf, subscribeJson } from "./subscribe-helpers.ts";

const ORIGIN = "http://example.com";
const ALL = ["interview-highlights", "weekly"];

/** An active reader of every digest and the unsubscribe link their `digest` emails carry. */
async function readerOfAll(label: string) {
  const email = freshEmail(label);
  await activeSubscriber(email);
  const row = await env.DB.prepare("SELECT id FROM subscribers WHERE email = ?").bind(email).first<{ id: number }>();
  const linkOf = async (digest: string) =>
    (await recipientLinks(ORIGIN, env.SIGNING_SECRET, row!.id, digest)).unsubscribeUrl.slice(ORIGIN.length);
  return { email, id: row!.id, linkOf };
}

const pressButton = (path: string, action: "digest" | "all") =>
  call(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `action=${action}` });

// The first confirmation email loads React Email: seconds on a busy machine, not what is tested here.
beforeAll(() => activeSubscriber(freshEmail("warm-up")), 60_000);

describe("per-digest unsubscribe", () => {
  it("names the digest in the link and its token", async () => {
    const { linkOf } = await readerOfAll("link");
    expect(await linkOf("weekly")).toMatch(/^\/unsubscribe\?digest=weekly&token=[\w-]+\.[\w-]+$/);
  });

  it("one-click POST leaves only that digest and mails nothing", async () => {
    const { email, linkOf } = await readerOfAll("one-digest");
    expect(await digestsOf(email)).toEqual(ALL);
    const mailBefore = (await mailTo(email)).length;

    const response = await oneClick(await linkOf("weekly"));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("你不会再收到「每周精选」。");
    expect(page).toContain("仍在接收：「访谈精选」。");
    expect(await digestsOf(email)).toEqual(["interview-highlights"]);
    expect(await statusOf(email)).toBe("active");
    expect(await mailTo(email)).toHaveLength(mailBefore);

    // The provider may repeat it: nothing more changes.
    expect((await oneClick(await linkOf("weekly"))).status).toBe(200);
    expect(await digestsOf(email)).toEqual(["interview-highlights"]);
    expect(await mailTo(email)).toHaveLength(mailBefore);
  });

  it("the last digest gone, the reader is unsubscribed, still without an email", async () => {
    const { email, linkOf } = await readerOfAll("last-digest");
    const mailBefore = (await mailTo(email)).length;
    // Both at once: whichever runs second finds none left.
    await Promise.all([oneClick(await linkOf("weekly")), oneClick(await linkOf("interview-highlights"))]);
    expect(await digestsOf(email)).toEqual([]);
    expect(await statusOf(email)).toBe("unsubscribed");
    expect(await mailTo(email)).toHaveLength(mailBefore);
  });

  it("the page offers leaving that digest and leaving everything; a GET changes nothing", async () => {
    const { email, linkOf } = await readerOfAll("page");
    const page = await (await call(await linkOf("interview-highlights"))).text();
    expect(page).toContain('<button class="primary" type="submit" name="action" value="digest">只退订「访谈精选」</button>');
    expect(page).toContain('<button class="danger" type="submit" name="action" value="all">退订全部简报</button>');
    expect(await digestsOf(email)).toEqual(ALL);

    const left = await pressButton(await linkOf("interview-highlights"), "digest");
    expect(await left.text()).toContain("你不会再收到「访谈精选」。");
    expect(await digestsOf(email)).toEqual(["weekly"]);
    // A person leaving one digest of several gets no goodbye: they still receive the others.
    expect((await mailTo(email)).some((m) => m.subject.includes("你已退订"))).toBe(false);

    // The page of a digest already left offers leaving everything only.
    const again = await (await call(await linkOf("interview-highlights"))).text();
    expect(again).not.toContain('value="digest"');
    expect(again).toContain('value="all"');
  });

  it("after one-click, the same link says that digest is gone and offers leaving each remaining one", async () => {
    const { email, linkOf } = await readerOfAll("after-one-click");
    await oneClick(await linkOf("weekly"));

    const page = await (await call(await linkOf("weekly"))).text();
    expect(page).toContain("<h1>已退订「每周精选」</h1>");
    expect(page).toContain("你仍在接收：「访谈精选」。");
    expect(page).toContain('<button class="primary" type="submit" name="leave" value="interview-highlights">也退订「访谈精选」</button>');
    expect(page).toContain('<button class="danger" type="submit" name="action" value="all">退订全部简报</button>');
    expect(page).not.toContain("只退订「每周精选」");

    // A digest that does not exist changes nothing and says why.
    const unknown = await call(await linkOf("weekly"), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "leave=nope",
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("「nope」");
    expect(await digestsOf(email)).toEqual(["interview-highlights"]);

    const left = await call(await linkOf("weekly"), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "leave=interview-highlights",
    });
    // The last digest left: no digest remains, so the page says the reader is unsubscribed.
    expect(left.status).toBe(200);
    expect(await left.text()).toContain("<title>已退订 · AI 前沿精选</title>");
    expect(await digestsOf(email)).toEqual([]);
  });

  it("the page's 退订全部简报 leaves every digest and, a person having asked, says goodbye by email", async () => {
    const { email, linkOf } = await readerOfAll("page-all");
    const response = await pressButton(await linkOf("weekly"), "all");
    expect(await response.text()).toContain("已退订");
    expect(await statusOf(email)).toBe("unsubscribed");
    const [goodbye] = await mailTo(email);
    expect(goodbye?.subject).toContain("你已退订");
  });

  it("an older link without a digest still leaves everything on one-click", async () => {
    const { email, id } = await readerOfAll("old-link");
    const mailBefore = (await mailTo(email)).length;
    const token = await signToken(env.SIGNING_SECRET, { subscriberId: id, purpose: "unsubscribe" });
    expect((await oneClick(`/unsubscribe?token=${token}`)).status).toBe(200);
    expect(await statusOf(email)).toBe("unsubscribed");
    expect(await mailTo(email)).toHaveLength(mailBefore);
  });

  it("a token naming a digest cannot be re-pointed: the signed digest counts, not the URL's", async () => {
    const { email, linkOf } = await readerOfAll("repointed");
    const link = (await linkOf("weekly")).replace("digest=weekly", "digest=interview-highlights");
    await oneClick(link);
    expect(await digestsOf(email)).toEqual(["interview-highlights"]);
  });
});

describe("Reply-To on transactional mail", () => {
  it("carries REPLY_TO when set and nothing otherwise", async () => {
    const withReplyTo = freshEmail("reply-to");
    await call(
      "/api/subscribe",
      { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.77" }, body: JSON.stringify({ email: withReplyTo }) },
      { REPLY_TO: "编辑部 <editors@example.com>" },
    );
    expect((await mailTo(withReplyTo))[0]?.headers?.["Reply-To"]).toBe("编辑部 <editors@example.com>");

    const without = freshEmail("no-reply-to");
    await subscribeJson(without);
    expect((await mailTo(without))[0]?.headers).not.toHaveProperty("Reply-To");
  });
});
