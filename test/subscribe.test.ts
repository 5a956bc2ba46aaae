import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { offeredDigests as digests } from "../src/digests/catalog.ts";
import { signToken } from "../src/subscribers/tokens.ts";
import {
  activeSubscriber,
  call,
  confirmByButton,
  digestsOf,
  freshEmail,
  linkIn,
  mailTo,
  statusOf,
  subscribeForm,
  subscribeJson,
} from "./subscribe-helpers.ts";

const allDigestIds = digests.map((digest) => digest.id).sort();
const [firstDigest, secondDigest] = allDigestIds as [string, string];

async function subscriberRow(email: string) {
  return env.DB.prepare("SELECT * FROM subscribers WHERE email = ?").bind(email).first<{
    id: number;
    status: string;
    consent_at: string | null;
    consent_source: string | null;
  }>();
}

async function eventsOf(email: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT type FROM subscriber_events JOIN subscribers ON subscribers.id = subscriber_id WHERE email = ? ORDER BY subscriber_events.id",
  )
    .bind(email)
    .all<{ type: string }>();
  return results.map((row) => row.type);
}

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("POST /api/subscribe", { timeout: 20_000 }, () => {
  it("creates a pending subscriber of every digest and mails a confirmation link", async () => {
    const email = freshEmail("new");
    const response = await subscribeJson(email);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      message: "if this address can be subscribed, a confirmation email is on its way: open its link to confirm",
    });
    expect(await statusOf(email)).toBe("pending");
    expect(await digestsOf(email)).toEqual(allDigestIds);
    expect((await subscriberRow(email))?.consent_source).toBe("api");

    const mail = await mailTo(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toContain("请确认订阅");
    expect(mail[0]?.from).toBe(env.MAIL_FROM);
    expect(mail[0]?.html).toContain("/confirm?token=");
    expect(linkIn(mail[0], "/confirm")).toMatch(/^\/confirm\?token=/);
    for (const digest of digests) expect(mail[0]?.text).toContain(digest.title);
  });

  it("subscribes to the chosen digests only, and canonicalises the address (trim, lower case)", async () => {
    const local = freshEmail("Chosen").split("@")[0]!;
    const response = await subscribeJson(`  ${local}@Example.ORG `, { digests: [secondDigest] });
    expect(response.status).toBe(202);
    expect(await digestsOf(`${local.toLowerCase()}@example.org`)).toEqual([secondDigest]);
    expect(await mailTo(`${local.toLowerCase()}@example.org`)).toHaveLength(1);
  });

  it("accepts the home page's plain form post and answers with a page, not JSON", async () => {
    const email = freshEmail("form");
    const response = await subscribeForm([["email", email]]);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain('lang="zh-CN"');
    expect(page).toContain("请查收确认邮件");
    expect((await subscriberRow(email))?.consent_source).toBe("web form");
    expect(await mailTo(email)).toHaveLength(1);
  });

  it("takes repeated form fields as the list of digests", async () => {
    const email = freshEmail("form-digests");
    const response = await subscribeForm([
      ["email", email],
      ["digests", firstDigest],
      ["digests", secondDigest],
    ]);
    expect(response.status).toBe(200);
    expect(await digestsOf(email)).toEqual([firstDigest, secondDigest]);
  });

  it("ignores unknown fields", async () => {
    const email = freshEmail("extra");
    const response = await subscribeJson(email, { name: "张三", utm: { source: "x" } });
    expect(response.status).toBe(202);
    expect(await statusOf(email)).toBe("pending");
  });

  it.each([
    ["no-at-sign.example.org", "email has no @"],
    ["reader@localhost", 'domain "localhost" has no dot'],
    ["@example.org", "email has nothing before the @"],
    ["a b@example.org", "the part before the @ contains characters not allowed"],
    ["", "email is empty"],
  ])("rejects the address %j with a 400 saying why", async (email, reason) => {
    const response = await subscribeJson(email);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain(reason);
  });

  it("shows a form post's bad address on a page with the reason", async () => {
    const response = await subscribeForm([["email", "nobody"]]);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("无法订阅");
    expect(page).toContain("邮箱地址缺少 @，请填写完整的地址（例如 name@qq.com）。");
  });

  it("names unknown digests in the 400", async () => {
    const email = freshEmail("unknown-digest");
    const response = await subscribeJson(email, { digests: [firstDigest, "daily-cats"] });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain('unknown digest "daily-cats"');
    expect(error.message).toContain(firstDigest);
    expect(await statusOf(email)).toBeNull();
  });

  it.each([
    [{ email: 42 }, "email: required, a string"],
    [{}, "email: required, a string"],
    [{ email: "a@example.org", digests: firstDigest }, "digests: expected an array of digest ids"],
    [{ email: "a@example.org", digests: [1] }, "digests.0: expected a digest id (string)"],
  ])("rejects wrong types %j with a 400 naming the field", async (body, message) => {
    const response = await call("/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
  });

  it("rejects a body that is not JSON, an unsupported type and an oversized body", async () => {
    const broken = await call("/api/subscribe", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{email:" });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe("invalid_json");

    const plain = await call("/api/subscribe", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "a@example.org" });
    expect(plain.status).toBe(415);

    const big = await subscribeJson(freshEmail("big"), { padding: "x".repeat(5000) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});

describe("re-subscribing", () => {
  it("changes nothing and sends nothing for an active address", async () => {
    const email = freshEmail("active");
    await activeSubscriber(email, [firstDigest]);
    const before = await subscriberRow(email);
    const response = await subscribeJson(email, { digests: [secondDigest] });
    expect(response.status).toBe(202);
    expect(await subscriberRow(email)).toEqual(before);
    expect(await digestsOf(email)).toEqual([firstDigest]);
    // The confirmation and the welcome, from before: nothing new.
    expect((await mailTo(email)).map((message) => message.subject)).toEqual(["欢迎订阅「AI 前沿精选」", "请确认订阅「AI 前沿精选」"]);
  });

  it("sends a pending address a new confirmation with the new choice", async () => {
    const email = freshEmail("pending");
    await subscribeJson(email, { digests: [firstDigest] });
    await subscribeJson(email, { digests: [secondDigest] });
    expect(await statusOf(email)).toBe("pending");
    expect(await digestsOf(email)).toEqual([secondDigest]);
    expect(await mailTo(email)).toHaveLength(2);
  });

  it("revives an unsubscribed address as pending, to be confirmed again", async () => {
    const email = freshEmail("comeback");
    const links = await activeSubscriber(email);
    await call(links.unsubscribe, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(await statusOf(email)).toBe("unsubscribed");
    const mailBefore = (await mailTo(email)).length;

    expect((await subscribeJson(email)).status).toBe(202);
    expect(await statusOf(email)).toBe("pending");
    const mail = await mailTo(email);
    expect(mail).toHaveLength(mailBefore + 1);
    expect((await confirmByButton(linkIn(mail[0], "/confirm"))).status).toBe(200);
    expect(await statusOf(email)).toBe("active");
  });

  it("never revives a suppressed address and sends it nothing", async () => {
    const email = freshEmail("suppressed");
    await subscribeJson(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'suppressed' WHERE email = ?").bind(email).run();
    expect((await subscribeJson(email)).status).toBe(202);
    expect(await statusOf(email)).toBe("suppressed");
    expect(await mailTo(email)).toHaveLength(1);
  });
});

describe("no enumeration", () => {
  async function answerFor(email: string, kind: "json" | "form") {
    const response = kind === "json" ? await subscribeJson(email) : await subscribeForm([["email", email]]);
    const headers = [...response.headers].filter(([name]) => name !== "date");
    return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
  }

  it.each(["json", "form"] as const)("answers byte for byte the same for new, pending, active, unsubscribed and suppressed (%s)", async (kind) => {
    const pending = freshEmail("enum-pending");
    await subscribeJson(pending);
    const active = freshEmail("enum-active");
    await activeSubscriber(active);
    const unsubscribed = freshEmail("enum-unsubscribed");
    const links = await activeSubscriber(unsubscribed);
    await call(links.unsubscribe, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    const suppressed = freshEmail("enum-suppressed");
    await activeSubscriber(suppressed);
    await env.DB.prepare("UPDATE subscribers SET status = 'suppressed' WHERE email = ?").bind(suppressed).run();

    const reference = await answerFor(freshEmail("enum-new"), kind);
    for (const email of [pending, active, unsubscribed, suppressed]) {
      expect(await answerFor(email, kind)).toEqual(reference);
    }
  });
});

describe("confirmation links", () => {
  it("no link in any email changes anything when fetched (GET or HEAD): only a button's POST, or RFC 8058 one-click, does", async () => {
    const email = freshEmail("scanner-everywhere");
    await activeSubscriber(email, [firstDigest, secondDigest]);
    const mail = await mailTo(email);
    const links = mail.flatMap((message) => [...message.text.matchAll(/http:\/\/example\.com(\/[^\s)\]]*)/g)].map((m) => m[1] ?? ""));
    const stateChanging = [...new Set(links.filter((link) => /^\/(confirm|unsubscribe|preferences)\?/.test(link)))];
    expect(stateChanging.some((link) => link.startsWith("/unsubscribe?"))).toBe(true);
    expect(stateChanging.some((link) => link.startsWith("/preferences?"))).toBe(true);
    const before = { row: await subscriberRow(email), digests: await digestsOf(email), events: await eventsOf(email) };
    for (const link of stateChanging) {
      for (const method of ["GET", "HEAD"]) expect((await call(link, { method })).status, `${method} ${link}`).toBeLessThan(500);
    }
    expect({ row: await subscriberRow(email), digests: await digestsOf(email), events: await eventsOf(email) }).toEqual(before);
    expect(await mailTo(email)).toHaveLength(mail.length);
  });

  it("GET and HEAD show a 确认订阅 button and change nothing: a mail scanner confirms no one", async () => {
    const email = freshEmail("scanned");
    await subscribeJson(email, { digests: [firstDigest] });
    const link = linkIn((await mailTo(email))[0], "/confirm");
    for (const method of ["GET", "HEAD", "GET"]) {
      const response = await call(link, { method });
      expect(response.status, method).toBe(200);
      if (method === "GET") {
        const page = await response.text();
        expect(page).toContain('<form method="post" action="/confirm?token=');
        expect(page).toContain('<button class="primary" type="submit">确认订阅</button>');
        expect(page).toContain(email);
      }
    }
    const row = await subscriberRow(email);
    expect(row?.status).toBe("pending");
    expect(row?.consent_at).toBeNull();
    expect(await eventsOf(email)).toEqual(["subscribed"]);
  });

  it("the button's same-origin POST activates, records consent and offers preference and unsubscribe links", async () => {
    const email = freshEmail("confirm");
    await subscribeJson(email, { digests: [firstDigest] });
    const link = linkIn((await mailTo(email))[0], "/confirm");
    const form = (await (await call(link)).text()).match(/<form method="post" action="([^"]+)"/)?.[1]?.replace(/&amp;/g, "&");
    const response = await confirmByButton(form ?? "");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("订阅成功");
    expect(page).toContain(digests.find((digest) => digest.id === firstDigest)?.title);
    expect(page).toMatch(/href="http:\/\/example\.com\/preferences\?token=/);
    expect(page).toMatch(/href="http:\/\/example\.com\/unsubscribe\?token=/);
    const row = await subscriberRow(email);
    expect(row?.status).toBe("active");
    expect(row?.consent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await eventsOf(email)).toEqual(["subscribed", "confirmed"]);
  });

  it("a POST from another site, or with no origin at all, is refused with 403 and confirms nothing", async () => {
    const email = freshEmail("cross-site");
    await subscribeJson(email);
    const link = linkIn((await mailTo(email))[0], "/confirm");
    const crossSite = await confirmByButton(link, "https://evil.example");
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("确认订阅只能通过确认页面上的按钮完成");
    expect((await call(link, { method: "POST" })).status).toBe(403);
    expect(await statusOf(email)).toBe("pending");
    expect((await confirmByButton(link)).status).toBe(200);
  });

  it("answers a reused link with a clear 410 and changes nothing", async () => {
    const email = freshEmail("reuse");
    await subscribeJson(email);
    const link = linkIn((await mailTo(email))[0], "/confirm");
    expect((await confirmByButton(link)).status).toBe(200);
    for (const again of [await confirmByButton(link), await call(link)]) {
      expect(again.status).toBe(410);
      expect(await again.text()).toContain("已经用过");
    }
    expect(await eventsOf(email)).toEqual(["subscribed", "confirmed"]);
  });

  it("confirm, one-click unsubscribe, subscribe again: the first link is superseded (410) and confirms nothing", async () => {
    const email = freshEmail("old-link");
    const links = await activeSubscriber(email);
    const firstLink = linkIn((await mailTo(email)).at(-1), "/confirm");
    await call(links.unsubscribe, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    await subscribeJson(email);
    expect(await statusOf(email)).toBe("pending");
    for (const response of [await call(firstLink), await confirmByButton(firstLink)]) {
      expect(response.status).toBe(410);
      expect(await response.text()).toContain("已被更新的确认邮件取代");
    }
    expect(await statusOf(email)).toBe("pending");
    const secondLink = linkIn((await mailTo(email))[0], "/confirm");
    expect(secondLink).not.toBe(firstLink);
    expect((await confirmByButton(secondLink)).status).toBe(200);
    expect(await statusOf(email)).toBe("active");
  });

  it("a second subscribe request while pending supersedes the first email's link", async () => {
    const email = freshEmail("asked-twice");
    await subscribeJson(email);
    await subscribeJson(email);
    const [newest, oldest] = await mailTo(email);
    expect((await confirmByButton(linkIn(oldest, "/confirm"))).status).toBe(410);
    expect(await statusOf(email)).toBe("pending");
    expect((await confirmByButton(linkIn(newest, "/confirm"))).status).toBe(200);
  });

  it("two confirmations at once activate once", async () => {
    const email = freshEmail("twice-at-once");
    await subscribeJson(email);
    const link = linkIn((await mailTo(email))[0], "/confirm");
    const statuses = (await Promise.all([confirmByButton(link), confirmByButton(link)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410]);
    expect(await eventsOf(email)).toEqual(["subscribed", "confirmed"]);
  });

  it("answers an expired link with 410 and leaves the subscriber pending", async () => {
    const email = freshEmail("expired");
    await subscribeJson(email);
    const id = (await subscriberRow(email))!.id;
    const expiresAt = Math.floor(Date.now() / 1000) - 60;
    const token = await signToken(env.SIGNING_SECRET, { subscriberId: id, purpose: "confirm", expiresAt });
    const response = await call(`/confirm?token=${token}`);
    expect(response.status).toBe(410);
    expect(await response.text()).toContain("链接已过期");
    expect(await statusOf(email)).toBe("pending");
  });

  it.each([
    ["a forged signature", async (id: number) => (await signToken("not-the-secret", { subscriberId: id, purpose: "confirm" }))],
    ["another purpose's token", async (id: number) => signToken(env.SIGNING_SECRET, { subscriberId: id, purpose: "unsubscribe" })],
    ["a token with a swapped payload", async (id: number) => {
      const real = await signToken(env.SIGNING_SECRET, { subscriberId: id, purpose: "confirm" });
      const other = await signToken(env.SIGNING_SECRET, { subscriberId: id + 1, purpose: "confirm" });
      return `${other.split(".")[0]}.${real.split(".")[1]}`;
    }],
    ["garbage", async () => "%%%.!!!"],
    ["one bad base64 character", async () => "a.b"],
    ["no token at all", async () => ""],
  ])("answers %s with a 400 page, never a 500", async (_label, makeToken) => {
    const email = freshEmail("forged");
    await subscribeJson(email);
    const id = (await subscriberRow(email))!.id;
    const response = await call(`/confirm?token=${encodeURIComponent(await makeToken(id))}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("链接无效");
    expect(await statusOf(email)).toBe("pending");
  });
});

describe("unsubscribe", () => {
  it("GET of a link without a digest shows one button (leave everything) and a preferences link, and unsubscribes no one", async () => {
    const email = freshEmail("get-unsub");
    const links = await activeSubscriber(email);
    const response = await call(links.unsubscribe);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page.match(/<button/g)).toHaveLength(1);
    expect(page).toContain('method="post"');
    expect(page).toContain('name="action" value="all"');
    expect(page).toContain('href="http://example.com/preferences?token=');
    expect(page).toContain(email);
    expect(await statusOf(email)).toBe("active");
  });

  it("one-click POST exactly as RFC 8058 sends it unsubscribes at once with a 200, and mails nothing", async () => {
    const email = freshEmail("one-click");
    const links = await activeSubscriber(email);
    const response = await call(links.unsubscribe, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("已退订");
    expect(await statusOf(email)).toBe("unsubscribed");
    expect((await eventsOf(email)).at(-1)).toBe("unsubscribed");

    // The mailbox provider sent the POST, not a person: only the confirmation and the welcome were ever mailed.
    const mail = await mailTo(email);
    expect(mail.map((message) => message.subject)).toEqual(["欢迎订阅「AI 前沿精选」", "请确认订阅「AI 前沿精选」"]);

    // Providers may retry: a second POST is still a 200 and sends nothing more.
    const again = await call(links.unsubscribe, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(again.status).toBe(200);
    expect(await mailTo(email)).toHaveLength(2);
    expect((await eventsOf(email)).filter((type) => type === "unsubscribed")).toHaveLength(1);
  });

  it("GET after unsubscribing says so instead of offering the button again", async () => {
    const email = freshEmail("after-unsub");
    const links = await activeSubscriber(email);
    await call(links.unsubscribe, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    const page = await (await call(links.unsubscribe)).text();
    expect(page).toContain("已退订");
    expect(page).not.toContain("<button");
  });

  it("rejects a forged token with a 400 and a confirm token with a 400", async () => {
    const email = freshEmail("forged-unsub");
    await subscribeJson(email);
    const id = (await subscriberRow(email))!.id;
    const forged = await signToken("wrong", { subscriberId: id, purpose: "unsubscribe" });
    const confirmToken = linkIn((await mailTo(email))[0], "/confirm").split("token=")[1];
    for (const token of [forged, confirmToken]) {
      const response = await call(`/unsubscribe?token=${token}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(response.status).toBe(400);
    }
    expect(await statusOf(email)).toBe("pending");
  });
});

describe("preferences", () => {
  function post(path: string, fields: [string, string][]) {
    return call(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  it("GET shows every digest with the subscribed ones checked", async () => {
    const email = freshEmail("prefs-get");
    const links = await activeSubscriber(email, [secondDigest]);
    const page = await (await call(links.preferences)).text();
    for (const digest of digests) expect(page).toContain(digest.title);
    expect(page).toContain(`value="${secondDigest}" checked`);
    expect(page).not.toContain(`value="${firstDigest}" checked`);
  });

  it("POST saves the chosen digests", async () => {
    const email = freshEmail("prefs-save");
    const links = await activeSubscriber(email);
    const response = await post(links.preferences, [["action", "save"], ["digests", firstDigest]]);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("已保存");
    expect(page).toContain(`value="${firstDigest}" checked`);
    expect(await digestsOf(email)).toEqual([firstDigest]);
    expect(await statusOf(email)).toBe("active");
  });

  it("refuses an empty choice or an unknown digest with a 400 and keeps the old choice", async () => {
    const email = freshEmail("prefs-bad");
    const links = await activeSubscriber(email, [firstDigest]);
    const empty = await post(links.preferences, [["action", "save"]]);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("请至少选择一份简报；一份也不想再收，请点击「全部退订」。");
    const unknown = await post(links.preferences, [["action", "save"], ["digests", "nope"]]);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("无法保存：所选的简报已不存在，请在下面的列表中重新勾选。");
    expect(await digestsOf(email)).toEqual([firstDigest]);
  });

  it("leaving all unsubscribes; saving again afterwards re-subscribes a confirmed reader", async () => {
    const email = freshEmail("prefs-leave");
    const links = await activeSubscriber(email);
    const left = await post(links.preferences, [["action", "leave"]]);
    expect(left.status).toBe(200);
    expect(await left.text()).toContain("已退订");
    expect(await statusOf(email)).toBe("unsubscribed");

    const back = await post(links.preferences, [["action", "save"], ["digests", secondDigest]]);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain("你已重新订阅");
    expect(await statusOf(email)).toBe("active");
    expect(await digestsOf(email)).toEqual([secondDigest]);
  });

  it("keeps a suppressed address suppressed", async () => {
    const email = freshEmail("prefs-suppressed");
    const links = await activeSubscriber(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'suppressed' WHERE email = ?").bind(email).run();
    expect((await call(links.preferences)).status).toBe(410);
    expect((await post(links.preferences, [["action", "save"], ["digests", firstDigest]])).status).toBe(410);
    expect(await statusOf(email)).toBe("suppressed");
  });

  it("rejects a forged preferences token", async () => {
    const token = await signToken("wrong", { subscriberId: 1, purpose: "preferences" });
    const response = await call(`/preferences?token=${token}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("链接无效");
  });
});
