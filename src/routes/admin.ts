/**
 * The operator console at /admin: server-rendered pages over the same domain functions
 * as the operator API (src/delivery/operator-sends.ts, src/subscribers/operator-actions.ts).
 * A signed session cookie (or, when configured, a Cloudflare Access token) is required
 * everywhere but the sign-in form and the script; every state-changing request must come
 * from the console's own origin.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import * as z from "zod/mini";
import { factory, type AppEnv } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { accessSettings, ACCESS_JWT_HEADER, remoteAccessKeys, verifyAccessToken, type AccessKeySource } from "../admin/access.ts";
import { CONSOLE_SCRIPT } from "../admin/console-script.ts";
import { messagePage } from "../admin/pages/admin-layout.ts";
import { dashboardPage } from "../admin/pages/dashboard-page.ts";
import { digestPage, refusalText, sendConfirmPage } from "../admin/pages/digest-page.ts";
import { editionPage, progressOf } from "../admin/pages/edition-page.ts";
import { loginPage } from "../admin/pages/login-page.ts";
import { eraseConfirmPage, subscribersPage } from "../admin/pages/subscribers-page.ts";
import { isSameOrigin } from "../admin/request-origin.ts";
import { SESSION_COOKIE, SESSION_TTL_SECONDS, signSession, verifySession } from "../admin/session.ts";
import { dailyGrowth, deliveryTimeline, recentEditions, subscriberStatusCounts } from "../admin/stats-store.ts";
import { getDigest, type Digest } from "../digests/catalog.ts";
import { nextRunOf } from "../digests/next-edition.ts";
import { previewSendNow } from "../delivery/preview.ts";
import { dryRun, editionReport, resumeEdition, retryFailed, sendNow, sendTestCopy } from "../delivery/operator-sends.ts";
import { constantTimeEqual } from "../http/admin-auth.ts";
import { MailerError } from "../email/mailer.ts";
import { recentMailFailures } from "../email/mail-failures-store.ts";
import { sharedWindow } from "../email/provider-window.ts";
import { describeInvalidFields } from "../zod-messages.ts";
import { IMPORT_MAX_BYTES, pageLimit, subscriberListQuery } from "../http/operator-schemas.ts";
import { fileText, readBody, type BodyRules } from "../http/read-body.ts";
import { enteredText, singleField, validate, type InvalidAnswer } from "../http/validate.ts";
import { importCsv } from "../subscribers/csv-import.ts";
import { canonicalEmail, emailAddress } from "../subscribers/email-address.ts";
import { CSV_EXPORT_HEADERS, eraseSubscriber, subscribersCsv } from "../subscribers/operator-actions.ts";
import { hitRateLimit } from "../subscribers/rate-limit.ts";
import { listSubscribers } from "../subscribers/operator-store.ts";
import { getSubscriberByEmail } from "../subscribers/store.ts";
import { IP_LIMIT } from "../subscribers/subscription-flow.ts";

/** The console's own forms are a few fields; an upload is a CSV. */
const consoleForm = readBody({ form: { maxBytes: 4 * 1024, answer: "page" } });
const consoleUpload: BodyRules = { maxBytes: IMPORT_MAX_BYTES, answer: "page" };

const GROWTH_DAYS = 30;
const DASHBOARD_EDITIONS = 10;
/** Transactional mail failures listed on the dashboard, newest first. */
const DASHBOARD_MAIL_FAILURES = 20;
const ARCHIVE_EDITIONS = 100;

const consoleQuery = z.extend(subscriberListQuery, {
  q: z.optional(z.string().check(z.maxLength(254, { error: "at most 254 characters" }))),
  limit: pageLimit(50),
});

// The console's forms, each field sent once (a repeated one is refused, never cut to its first value).
const loginForm = z.object({ token: z._default(singleField, "") });
/** The test copy's address, checked as the API checks `testTo` (and named so in the message). */
const testCopyForm = z.pipe(
  z.pipe(z.object({ to: z._default(singleField, "") }), z.transform(({ to }) => ({ testTo: to.trim() }))),
  z.object({ testTo: emailAddress }),
);
/** The send form: `force=1` when checked; the confirmation step adds the recipient count it showed. */
const sendForm = z.object({
  force: z.optional(z.literal("1", { error: 'expected "1" when checked' })),
  recipients: z.optional(z.coerce.number({ error: "expected a number" }).check(z.int(), z.nonnegative())),
});
const eraseForm = z.object({ email: singleField });
const uploadForm = z.object({ file: z.custom<File>((value) => value instanceof File, { error: "expected one CSV file" }) });

/** A console form that fails its schema: a page saying which field is wrong, nothing done. */
const consoleFormProblem: InvalidAnswer = (c, error) =>
  c.html(messagePage("提交的内容有误", `没有执行任何操作。原因：${describeInvalidFields(error)}`), 400);

type DigestEnv = AppEnv & { Variables: { digest: Digest } };

export interface AdminOptions {
  /** Where Cloudflare Access keys come from (tests pass a local key set). */
  accessKeys?: AccessKeySource;
}

function cookieOptions(c: Context<AppEnv>) {
  const secure = c.var.config.environment !== "development";
  return { path: "/admin", httpOnly: true, secure, sameSite: "Strict" } as const;
}

async function hasSession(c: Context<AppEnv>, accessKeys: AccessKeySource): Promise<boolean> {
  const now = new Date();
  if ((await verifySession(c.var.config.signingSecret, getCookie(c, SESSION_COOKIE), now)).ok) return true;
  const settings = accessSettings(c.env);
  const token = c.req.header(ACCESS_JWT_HEADER);
  return settings !== null && token !== undefined && (await verifyAccessToken(token, settings, accessKeys));
}

export function createAdmin({ accessKeys = remoteAccessKeys }: AdminOptions = {}) {
  const admin = factory.createApp();

  admin.get("/assets/console.js", (c) =>
    c.body(CONSOLE_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }),
  );

  // Cross-site requests change nothing (the session cookie is SameSite=Strict as well).
  admin.use("*", async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (!isSameOrigin(c.req.raw, c.env.SITE_URL)) {
      return c.html(messagePage("请求被拒绝", "这个请求不是从控制台本身发出的（跨站请求），没有执行任何操作。", false), 403);
    }
    return next();
  });

  admin.get("/login", (c) => c.html(loginPage(null, accessSettings(c.env) !== null)));

  // Every attempt counts, as for subscribing (before its body is read): no one guesses the token faster than this.
  const loginAttempt = factory.createMiddleware(async (c, next) => {
    const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
    const limited = await hitRateLimit(c.env.DB, { key: `admin-login:ip:${ip}`, ...IP_LIMIT }, new Date());
    if (!limited.ok) {
      c.header("Retry-After", String(limited.retryAfterSeconds));
      return c.html(loginPage(`尝试次数过多，请在 ${Math.ceil(limited.retryAfterSeconds / 60)} 分钟后再试。`, accessSettings(c.env) !== null), 429);
    }
    await next();
  });

  const loginProblem: InvalidAnswer<AppEnv> = (c, error) =>
    c.html(loginPage(`无法登录：${describeInvalidFields(error)}`, accessSettings(c.env) !== null), 400);

  admin.post("/login", loginAttempt, consoleForm, validate("form", loginForm, loginProblem), async (c) => {
    const now = new Date();
    const { token } = c.req.valid("form");
    const config = c.var.config;
    if (!token || !(await constantTimeEqual(token, config.adminToken))) {
      return c.html(loginPage("令牌不正确。", accessSettings(c.env) !== null), 403);
    }
    setCookie(c, SESSION_COOKIE, await signSession(config.signingSecret, now), { ...cookieOptions(c), maxAge: SESSION_TTL_SECONDS });
    return c.redirect("/admin", 303);
  });

  admin.post("/logout", (c) => {
    deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
    return c.redirect("/admin/login", 303);
  });

  admin.use(
    "*",
    factory.createMiddleware(async (c, next) => {
      if (!(await hasSession(c, accessKeys))) return c.redirect("/admin/login", 303);
      c.header("Cache-Control", "no-store");
      await next();
    }),
  );

  admin.get("/", async (c) => {
    const now = new Date();
    const [statuses, growth, editions, mailFailures] = await Promise.all([
      subscriberStatusCounts(c.env.DB),
      dailyGrowth(c.env.DB, now, GROWTH_DAYS),
      recentEditions(c.env.DB, DASHBOARD_EDITIONS),
      recentMailFailures(c.env.DB, DASHBOARD_MAIL_FAILURES),
    ]);
    return c.html(dashboardPage(statuses, growth, editions, mailFailures));
  });

  async function renderDigestPage<E extends AppEnv>(c: Context<E>, digest: Digest, extra: { message?: { text: string; kind: "ok" | "error" }; testTo?: string } = {}) {
    const config = c.var.config;
    const now = new Date();
    const [plan, preview, editions] = await Promise.all([
      dryRun(c.env.DB, digest, config.siteUrl, now),
      previewSendNow(c.env.DB, config, digest, now),
      recentEditions(c.env.DB, ARCHIVE_EDITIONS, digest.id),
    ]);
    return digestPage({ digest, nextRun: nextRunOf(digest, now), plan, preview, editions, ...extra });
  }

  const unknownDigest = <E extends AppEnv>(c: Context<E>) =>
    c.html(messagePage("找不到摘要", `没有名为「${c.req.param("id") ?? ""}」的摘要。`), 404);

  admin.get("/digests/:id", needsSiteUrl, async (c) => {
    const digest = getDigest(c.req.param("id"));
    if (!digest) return unknownDigest(c);
    const sentTo = c.req.query("test");
    return c.html(await renderDigestPage(c, digest, sentTo ? { message: { text: `测试邮件已发送到 ${sentTo}。`, kind: "ok" } } : {}));
  });

  /** A route under /digests/:id with the digest on c.var; an unknown one is a 404 page before any body is read. */
  const knownDigest = createMiddleware<DigestEnv>(async (c, next) => {
    const digest = getDigest(c.req.param("id") ?? "");
    if (!digest) return unknownDigest(c);
    c.set("digest", digest);
    await next();
  });

  const testCopyProblem: InvalidAnswer<DigestEnv> = async (c, error, input) => {
    const { digest } = c.var;
    const message = { text: `无法发送测试邮件：${describeInvalidFields(error)}`, kind: "error" as const };
    return c.html(await renderDigestPage(c, digest, { message, testTo: enteredText(input, "to") }), 400);
  };

  admin.post("/digests/:id/test", needsSiteUrl, knownDigest, consoleForm, validate("form", testCopyForm, testCopyProblem), async (c) => {
    const { digest } = c.var;
    const { testTo } = c.req.valid("form");
    const mailer = { db: c.env.DB, config: c.var.config, window: sharedWindow(c.env) };
    try {
      const sent = await sendTestCopy(mailer, digest, testTo, new Date());
      return c.redirect(`/admin/digests/${digest.id}?${new URLSearchParams({ test: sent.to })}`, 303);
    } catch (error) {
      if (!(error instanceof MailerError)) throw error;
      const why = error.kind === "refused" ? "邮件服务商拒绝了这封邮件" : "多次重试后仍无法连接邮件服务商";
      const message = { text: `测试邮件未能发送到 ${testTo}：${why}。服务商的回复：${error.reason}`, kind: "error" as const };
      return c.html(await renderDigestPage(c, digest, { message, testTo }), 502);
    }
  });

  admin.post("/digests/:id/send", needsSiteUrl, knownDigest, consoleForm, validate("form", sendForm, consoleFormProblem), async (c) => {
    const { digest } = c.var;
    const form = c.req.valid("form");
    const force = form.force === "1";
    const config = c.var.config;
    const now = new Date();
    const plan = await dryRun(c.env.DB, digest, config.siteUrl, now, force);
    const confirmed = form.recipients ?? null;
    // Refused before the confirmation step: nothing to confirm when nothing would be sent.
    if (confirmed === null && plan.refusal) {
      const message = { text: refusalText(plan.refusal, plan.currentEdition), kind: "error" as const };
      return c.html(await renderDigestPage(c, digest, { message }), 409);
    }
    if (confirmed === null) return c.html(sendConfirmPage({ digest, plan, force }));
    if (confirmed !== plan.recipients) {
      const message = `收件人数已从 ${confirmed} 变为 ${plan.recipients}，请再次确认。`;
      return c.html(sendConfirmPage({ digest, plan, force, message }), 409);
    }
    const result = await sendNow(c.env, digest, config.siteUrl, now, force);
    if (result.kind === "opened" && result.edition) return c.redirect(`/admin/editions/${encodeURIComponent(result.edition)}`, 303);
    const text = result.kind === "opened" ? "这一期已由另一个触发同时打开，没有重复发送。" : refusalText(result.kind, result.kind === "edition-exists" ? result.edition : null);
    return c.html(await renderDigestPage(c, digest, { message: { text, kind: "error" } }), 409);
  });

  const unknownEdition = (c: Context<AppEnv>) =>
    c.html(messagePage("找不到这一期", `没有期号为「${c.req.param("edition") ?? ""}」的一期。`), 404);

  admin.get("/editions/:edition", async (c) => {
    const id = c.req.param("edition");
    const [report, moments] = await Promise.all([editionReport(c.env.DB, id), deliveryTimeline(c.env.DB, id)]);
    if (!report) return unknownEdition(c);
    const retried = c.req.query("retried");
    const resumed = c.req.query("resumed");
    const message =
      retried !== undefined
        ? `已将 ${retried} 位失败的收件人重新排入发送队列。`
        : resumed !== undefined
          ? `已将 ${resumed} 位尚未发出的收件人按原幂等键重新排入发送队列。`
          : null;
    return c.html(editionPage(report, moments, message));
  });

  admin.get("/editions/:edition/progress.json", async (c) => {
    const report = await editionReport(c.env.DB, c.req.param("edition"));
    if (!report) return c.json({ error: { code: "edition_not_found", message: `no edition "${c.req.param("edition")}"` } }, 404);
    return c.json(progressOf(report));
  });

  admin.post("/editions/:edition/retry-failed", async (c) => {
    const id = c.req.param("edition");
    const result = await retryFailed(c.env, id, new Date());
    if (result.kind === "not-found") return unknownEdition(c);
    if (result.kind === "fanning-out") {
      return c.html(messagePage("暂时无法重试", `第 ${id} 期仍在为收件人排队，请稍后再试。`), 409);
    }
    return c.redirect(`/admin/editions/${encodeURIComponent(id)}?retried=${result.recipients}`, 303);
  });

  admin.post("/editions/:edition/resume", needsSiteUrl, async (c) => {
    const id = c.req.param("edition");
    const report = await resumeEdition(c.env, id, c.var.config.siteUrl, new Date());
    if (!report) return unknownEdition(c);
    return c.redirect(`/admin/editions/${encodeURIComponent(id)}?resumed=${report.requeued.recipients}`, 303);
  });

  /** What the operator searched for, shown again in the search form. */
  const searchOf = (c: Context) => ({ q: c.req.query("q"), status: c.req.query("status"), digest: c.req.query("digest") });

  const subscriberSearchProblem: InvalidAnswer = (c, error) => {
    const message = { text: `筛选条件有误：${describeInvalidFields(error)}`, kind: "error" as const };
    return c.html(subscribersPage({ search: searchOf(c), subscribers: [], nextCursor: null, paged: false, message }), 400);
  };

  admin.get("/subscribers", validate("query", consoleQuery, subscriberSearchProblem), async (c) => {
    const search = searchOf(c);
    const { cursor, q, ...filter } = c.req.valid("query");
    const page = await listSubscribers(c.env.DB, { ...filter, ...(q ? { emailContains: q } : {}), ...(cursor ? { after: cursor } : {}) });
    const erased = c.req.query("erased");
    return c.html(
      subscribersPage({
        search,
        subscribers: page.subscribers,
        nextCursor: page.nextAfter,
        paged: cursor !== undefined,
        message: erased ? { text: `已删除 ${erased}。`, kind: "ok" } : null,
      }),
    );
  });

  admin.get("/subscribers.csv", async (c) => c.body(await subscribersCsv(c.env.DB), 200, CSV_EXPORT_HEADERS));

  const empty = { search: {}, subscribers: [], nextCursor: null, paged: false };
  const noUpload: InvalidAnswer = (c) =>
    c.html(subscribersPage({ ...empty, message: { text: "请选择要导入的 CSV 文件。", kind: "error" } }), 400);

  admin.post("/subscribers/import", readBody({ form: { ...consoleUpload, files: true } }), validate("form", uploadForm, noUpload), async (c) => {
    const csv = await fileText(c.req.valid("form").file, consoleUpload);
    const result = await importCsv(c.env.DB, csv, new Date());
    if (!result.ok) {
      const status = result.problem === "invalid-csv" ? 400 : result.problem === "too-large" ? 413 : 503;
      const report = result.problem === "interrupted" ? { report: result.report } : {};
      return c.html(subscribersPage({ ...empty, ...report, message: { text: `无法导入：${result.message}`, kind: "error" } }), status);
    }
    const first = await listSubscribers(c.env.DB, { limit: 50 });
    return c.html(subscribersPage({ ...empty, subscribers: first.subscribers, nextCursor: first.nextAfter, report: result.report }));
  });

  admin.get("/subscribers/erase", async (c) => {
    const subscriber = await getSubscriberByEmail(c.env.DB, canonicalEmail(c.req.query("email") ?? ""));
    if (!subscriber) return c.html(messagePage("找不到订阅者", "没有这个地址的订阅者。"), 404);
    return c.html(eraseConfirmPage(subscriber));
  });

  admin.post("/subscribers/erase", consoleForm, validate("form", eraseForm, consoleFormProblem), async (c) => {
    const email = canonicalEmail(c.req.valid("form").email);
    if (!(await eraseSubscriber(c.env.DB, email, new Date()))) {
      return c.html(messagePage("找不到订阅者", "没有这个地址的订阅者。"), 404);
    }
    return c.redirect(`/admin/subscribers?${new URLSearchParams({ erased: email })}`, 303);
  });

  return admin;
}

export const admin = createAdmin();
