/**
 * Every page and email a person reads, walked through the real routes and renderers, in
 * its states (errors included): its visible text may hold no English beyond a short
 * allow-list (brand and product names, feed formats; URLs, addresses and code are not
 * words), nor curly quotes or a lopsided ·. The JSON API may answer in English; nothing
 * rendered for a person may.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { themeNames } from "../emails/theme.ts";
import { items } from "../src/content/collection.ts";
import { recipientLinks } from "../src/subscribers/links.ts";
import { digests, offeredDigests } from "../src/digests/catalog.ts";
import { renderDigest } from "../src/digests/render-digest.ts";
import { selectItems } from "../src/digests/select.ts";
import { renderConfirmation, renderUnsubscribed } from "../src/email/render-transactional.ts";
import { writeFanOutPage } from "../src/delivery/ledger-store.ts";
import { resetDeliveryTables, seedSubscribers, setSubscriberStatus } from "./helpers/delivery-harness.ts";
import { punctuationProblems } from "../src/text/cjk-punctuation.ts";
import { englishWords, PRODUCT_ALLOWED, visibleText } from "./helpers/visible-text.ts";
import { activeSubscriber, call, freshEmail, linkIn, mailTo, subscribeForm, subscribeJson } from "./subscribe-helpers.ts";

const BASE = "http://example.com";
const site = { url: BASE, mailFrom: "AI 前沿精选 <digest@example.com>" };

/**
 * Each page's English words, and its breaks of the quote and interpunct rules (curly quotes,
 * 「 inside 「, a space on one side of ·), by label; pages without any are left out, so a pass is `{}`.
 */
async function englishByPage(pages: [string, Response | string][]): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const [label, page] of pages) {
    const html = typeof page === "string" ? page : await pageText(page);
    const text = visibleText(html);
    const words = [...englishWords(text, PRODUCT_ALLOWED), ...punctuationProblems(text)];
    if (words.length > 0) found[label] = words;
  }
  return found;
}

const form = (fields: [string, string][], headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: BASE, ...headers },
  body: new URLSearchParams(fields).toString(),
});

async function pageText(response: Response): Promise<string> {
  expect(response.headers.get("Content-Type") ?? "").toContain("text/html");
  return response.text();
}

describe("the visible-text reader", () => {
  it("reads text and the attributes a person reads, and skips markup, scripts, code, URLs and addresses", () => {
    const html = `<html><head><title>标题 Hello</title><style>body{color:red}</style></head>
<body><p class="lead" data-x="ignored">订阅 <code>email,consent</code> https://x.example/a 与 a@b.example</p>
<img alt="an image" src="/x.png" /><input placeholder="例如 name@qq.com" /><script>var shown = false;</script></body></html>`;
    expect(englishWords(visibleText(html)).map((found) => found.split(" ")[0])).toEqual(["Hello", "an", "image"]);
    expect(englishWords("订阅 RSS、Atom 与 JSON Feed，发自 qq.com")).toEqual([]);
  });
});

describe("site pages", () => {
  it("home, articles, tags, digests, previews, web versions and the 404 page are Chinese", async () => {
    const paths = [
      "/",
      ...items.map((item) => `/articles/${encodeURIComponent(item.slug)}`),
      ...[...new Set(items.flatMap((item) => item.tags))].map((tag) => `/tags/${encodeURIComponent(tag)}`),
      "/digests",
      ...digests.flatMap((digest) => [
        `/digests/${digest.id}`,
        `/digests/${digest.id}/preview`,
        `/digests/${digest.id}/editions/next`,
        ...themeNames.map((theme) => `/digests/${digest.id}/preview?theme=${theme}`),
      ]),
      "/articles/不存在的文章",
      "/tags/不存在的标签",
      "/digests/不存在的简报",
    ];
    const pages: [string, Response][] = [];
    for (const path of paths) pages.push([path, await call(path)]);
    expect(await englishByPage(pages)).toEqual({});
  });
});

describe("emails", () => {
  it("every digest in every theme, the confirmation and the unsubscribed email are Chinese in both parts", async () => {
    const now = new Date("2026-11-30T00:00:00Z");
    const mails: [string, string][] = [];
    for (const digest of digests) {
      const chosen = selectItems(digest, items, null);
      for (const theme of themeNames) {
        for (const edition of [chosen, []]) {
          const rendered = await renderDigest(digest, edition, { id: "2026-11-30-x", date: "2026-11-30" }, site, now, { theme });
          const label = `${digest.id} ${theme} ${edition.length} items`;
          mails.push([`${label} html`, rendered.html], [`${label} text`, `${rendered.subject} ${rendered.preheader} ${rendered.text}`]);
        }
      }
    }
    const confirmation = await renderConfirmation({ confirmUrl: `${BASE}/confirm?token=a.b`, siteUrl: BASE, mailFrom: site.mailFrom, digestTitles: digests.map((d) => d.title) });
    const unsubscribed = await renderUnsubscribed({ siteUrl: BASE, mailFrom: site.mailFrom, resubscribeUrl: `${BASE}/#subscribe` });
    for (const [label, mail] of [["confirmation", confirmation], ["unsubscribed", unsubscribed]] as const) {
      mails.push([`${label} html`, mail.html], [`${label} text`, `${mail.subject} ${mail.text}`]);
    }
    expect(await englishByPage(mails)).toEqual({});
  });
});

describe("subscription pages in their states", () => {
  beforeAll(resetDeliveryTables);

  it("the subscribe form's answers: accepted, every refused address, no digest, a repeated field, too many requests", async () => {
    const answers: [string, Response][] = [
      ["accepted", await subscribeForm([["email", freshEmail("ok")], ["digests", digests[0]!.id], ["digests-offered", "1"]])],
      ["no digest", await subscribeForm([["email", freshEmail("none")], ["digests-offered", "1"]])],
      ["unknown digest", await subscribeForm([["email", freshEmail("nope")], ["digests", "nope"]])],
      ["repeated email", await subscribeForm([["email", "a@example.com"], ["email", "b@example.com"]])],
      ["no email", await subscribeForm([["digests", digests[0]!.id]])],
    ];
    for (const address of ["name@qq", "", "name", "@qq.com", "张三@qq.com", "name@", "a..b@qq.com", `${"a".repeat(65)}@qq.com`, "name@qq.c_m", "name@[::1]", "name@xn--zz.com", `name@${"a".repeat(250)}.com`]) {
      answers.push([`address ${JSON.stringify(address)}`, await subscribeForm([["email", address]])]);
    }
    const formHeaders = { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "203.0.113.78" };
    answers.push(
      ["too large", await call("/api/subscribe", { method: "POST", headers: formHeaders, body: `email=${"a".repeat(8 * 1024)}` })],
      ["misconfigured", await call("/confirm?token=x.y", {}, { SITE_URL: "" })],
    );
    const ip = "203.0.113.77";
    for (let i = 0; i < 12; i++) answers.push(["rate limited", await subscribeForm([["email", freshEmail("busy")]], ip)]);
    expect(answers.some(([label, response]) => label === "rate limited" && response.status === 429)).toBe(true);
    const texts = new Map<string, string>();
    for (const [label, response] of answers) if (!texts.has(label)) texts.set(label, await response.clone().text());
    // The review's two findings, now saying what to do.
    expect(texts.get('address "name@qq"')).toContain("@ 后面的域名不完整，缺少后缀，请补全（例如 qq.com、163.com）。");
    expect(texts.get('address "张三@qq.com"')).toContain("@ 前面含有中文或其他非英文字符，这样的地址收不到邮件");
    expect(texts.get("unknown digest")).toContain("所选的简报已不存在，请在下面的列表中重新勾选。");
    expect(texts.get("repeated email")).toContain("邮箱：请填写一个邮箱地址。");
    // The operator's setting is named for the operator, folded away from the reader.
    expect(texts.get("misconfigured")).toMatch(/<details><summary>给管理员的说明<\/summary><code>[^<]*SITE_URL/);
    expect(await englishByPage(answers)).toEqual({});
  });

  it("confirm, unsubscribe and preferences pages, in every state and error", async () => {
    const email = freshEmail("reader");
    expect((await subscribeJson(email)).status).toBe(202);
    const confirmLink = linkIn((await mailTo(email))[0], "/confirm");
    const pages: [string, Response][] = [
      ["confirmed", await call(confirmLink)],
      ["confirm used", await call(confirmLink)],
      ["confirm invalid", await call("/confirm?token=nonsense")],
      ["confirm missing", await call("/confirm")],
    ];
    const reader = freshEmail("prefs");
    const links = await activeSubscriber(reader, offeredDigests.map((d) => d.id));
    const id = (await env.DB.prepare("SELECT id FROM subscribers WHERE email = ?").bind(reader).first<number>("id")) ?? 0;
    const digestLink = (await recipientLinks("", "test-signing-secret", id, digests[0]!.id)).unsubscribeUrl;
    pages.push(
      ["unsubscribe prompt of a digest", await call(digestLink)],
      ["unsubscribe prompt", await call(links.unsubscribe)],
      ["preferences", await call(links.preferences)],
      ["preferences unknown digest", await call(links.preferences, form([["action", "save"], ["digests", "nope"]]))],
      ["preferences none", await call(links.preferences, form([["action", "save"]]))],
      ["preferences no action", await call(links.preferences, form([["digests", digests[0]!.id]]))],
      ["preferences saved", await call(links.preferences, form([["action", "save"], ["digests", digests[0]!.id]]))],
      ["digest left", await call(digestLink, form([["action", "digest"]]))],
      ["unsubscribe form problem", await call(links.unsubscribe, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })],
      ["unsubscribed", await call(links.unsubscribe, form([["action", "all"]]))],
      ["unsubscribe again", await call(links.unsubscribe)],
      ["preferences after leaving", await call(links.preferences)],
      ["unsubscribe bad token", await call("/unsubscribe?token=x.y")],
      ["preferences bad token", await call("/preferences?token=x.y")],
    );
    const bounced = freshEmail("bounced");
    const bouncedLinks = await activeSubscriber(bounced);
    await setSubscriberStatus(bounced, "suppressed");
    pages.push(["suppressed", await call(bouncedLinks.unsubscribe)], ["suppressed preferences", await call(bouncedLinks.preferences)]);
    const unknownDigest = pages.find(([label]) => label === "preferences unknown digest")?.[1];
    expect(await unknownDigest?.clone().text()).toContain("无法保存：所选的简报已不存在，请在下面的列表中重新勾选。");
    expect(await englishByPage(pages)).toEqual({});
  });
});

describe("console pages", () => {
  const digest = digests.find((d) => selectItems(d, items, null).length > 0)!;
  let cookie = "";

  const admin = (path: string, init: RequestInit = {}) =>
    exports.default.fetch(`${BASE}${path}`, { ...init, headers: { Cookie: cookie, ...(init.headers as Record<string, string>) }, redirect: "manual" });

  beforeAll(async () => {
    await resetDeliveryTables();
    const signedIn = await exports.default.fetch(`${BASE}/admin/login`, { ...form([["token", "test-admin-token-of-at-least-32-bytes"]], { "CF-Connecting-IP": "203.0.113.90" }), redirect: "manual" });
    cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    await seedSubscribers([
      { email: "ada@example.com", status: "active", digests: [digest.id] },
      { email: "bo@example.com", status: "active", digests: [digest.id] },
    ]);
    const at = new Date().toISOString();
    await env.DB.prepare(`INSERT INTO editions (id, digest_id, subject, item_slugs, trigger, status, created_at) VALUES ('e-1', ?, '主题', '[]', 'manual', 'sent', ?)`).bind(digest.id, at).run();
    await env.DB.prepare("INSERT INTO delivery_runs (edition_id, site_url, fanout_completed_at) VALUES ('e-1', ?, ?)").bind(BASE, at).run();
    const ada = await env.DB.prepare("SELECT id FROM subscribers WHERE email = 'ada@example.com'").first<{ id: number }>();
    await writeFanOutPage(env.DB, "e-1", 0, [ada!.id], "provider 422 validation_error: The to field is invalid.", new Date(at));
  });

  it("sign-in, dashboard, digest, send confirmation, edition, subscribers, import and erase pages, and their errors", async () => {
    const csv = (text: string) => {
      const body = new FormData();
      body.set("file", new File([text], "list.csv", { type: "text/csv" }));
      return admin("/admin/subscribers/import", { method: "POST", body, headers: { Origin: BASE } });
    };
    const viaForm = freshEmail("form");
    await subscribeForm([["email", viaForm]]);
    expect((await call(linkIn((await mailTo(viaForm))[0], "/confirm"))).status).toBe(200);
    const pages: [string, Response][] = [
      ["login", await exports.default.fetch(`${BASE}/admin/login`)],
      ["login wrong", await exports.default.fetch(`${BASE}/admin/login`, form([["token", "guess"]], { "CF-Connecting-IP": "203.0.113.91" }))],
      ["login repeated", await exports.default.fetch(`${BASE}/admin/login`, form([["token", "a"], ["token", "b"]], { "CF-Connecting-IP": "203.0.113.92" }))],
      ["dashboard", await admin("/admin")],
      ["digest", await admin(`/admin/digests/${digest.id}`)],
      ["digest unknown", await admin("/admin/digests/不存在")],
      ["test copy sent", await admin(`/admin/digests/${digest.id}?test=ops@example.com`)],
      ["test copy refused", await admin(`/admin/digests/${digest.id}/test`, form([["to", "name@qq"]]))],
      ["test copy non-ascii", await admin(`/admin/digests/${digest.id}/test`, form([["to", "张三@qq.com"]]))],
      ["send confirm", await admin(`/admin/digests/${digest.id}/send`, form([]))],
      ["send bad form", await admin(`/admin/digests/${digest.id}/send`, form([["force", "yes"]]))],
      ["edition", await admin("/admin/editions/e-1")],
      ["edition unknown", await admin("/admin/editions/不存在")],
      ["subscribers", await admin("/admin/subscribers")],
      ["subscribers filter problem", await admin("/admin/subscribers?status=gone&limit=9999")],
      ["subscribers cursor problem", await admin("/admin/subscribers?cursor=abc")],
      ["import report", await csv("email,consent,digests\nnew@example.com,yes,\nno@example.com,no,\nname@qq,yes,\nx@example.com,yes,nope\n")],
      ["import export layout", await csv("email,status,digests,consent_at,consent_source,created_at\na@example.net,active,,,,\nb@example.net,gone,,,,\nc@example.net,pending,,soon,,\n")],
      ["import bad header", await csv("name,consent\n")],
      ["import malformed", await csv('email,consent\n"open,yes\n')],
      ["import no file", await admin("/admin/subscribers/import", form([]))],
      ["erase confirm", await admin("/admin/subscribers/erase?email=bo@example.com")],
      ["erase unknown", await admin("/admin/subscribers/erase?email=nobody@example.com")],
      ["cross-site", await admin("/admin/subscribers/erase", { ...form([["email", "bo@example.com"]]), headers: { Origin: "https://evil.example" } })],
    ];
    const text = async (label: string) => (await pages.find(([l]) => l === label)?.[1].clone().text()) ?? "";
    const report = await text("import report");
    expect(report).toContain("没有订阅同意：<code>consent</code> 列是 <code>no</code>。");
    expect(report).toContain("@ 后面的域名不完整");
    expect(report).toContain("<code>digests</code> 列中有不存在的简报");
    // The 来源 column in words, after an import (CSV) beside a subscriber who came through the form.
    expect(report).toContain("<td>CSV 导入</td>");
    expect(await text("subscribers")).toContain("<td>网页订阅表单</td>");
    expect(await text("test copy refused")).toContain("无法发送测试邮件：@ 后面的域名不完整");
    expect(await text("subscribers filter problem")).toContain("筛选条件有误：状态：请从下拉列表中选择状态。每页条数：须为 1 到 500 之间的整数。");
    // The provider's own words stay, folded under what they mean.
    expect(await text("edition")).toContain(
      '<details class="reason"><summary>服务商拒收（发件人、域名或密钥有误）：修正设置后再重试。</summary><code>provider 422 validation_error: The to field is invalid.</code></details>',
    );
    expect(await englishByPage(pages)).toEqual({});
  });
});
