/**
 * The operator console at /admin: server-rendered pages over the same domain functions
 * as the operator API (src/delivery/operator-sends.ts, src/subscribers/operator-actions.ts).
 * Only routes live here: authentication (same-origin rule, weak-secret closure, sign-in
 * throttle, sessions) is middleware in src/admin/console-auth.ts, the forms' schemas are
 * in src/http/console-forms.ts.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { factory, waitUntilOf, type AppEnv } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { accessSettings, remoteAccessKeys, type AccessKeySource } from "../admin/access.ts";
import {
  endEverySession,
  endSession,
  operatorSecretsStrong,
  refuseSignIn,
  requireConsoleSession,
  sameOriginOnly,
  signInThrottle,
  startSession,
} from "../admin/console-auth.ts";
import { CONSOLE_SCRIPT } from "../admin/console-script.ts";
import { noticeQuery, noticeText, requeuedText } from "../admin/notices.ts";
import { messagePage } from "../admin/pages/admin-layout.ts";
import { dashboardPage } from "../admin/pages/dashboard-page.ts";
import { digestPage, refusalText, sendConfirmPage } from "../admin/pages/digest-page.ts";
import { editionPage, progressOf } from "../admin/pages/edition-page.ts";
import { loginPage } from "../admin/pages/login-page.ts";
import { eraseConfirmPage, subscribersPage } from "../admin/pages/subscribers-page.ts";
import { dailyGrowth, subscriberStatusCounts } from "../subscribers/counts-store.ts";
import { recentEditionSummaries } from "../delivery/edition-summaries.ts";
import { deliveryTimeline } from "../delivery/ledger-store.ts";
import { getDigest, type Digest } from "../digests/catalog.ts";
import { nextRunOf } from "../digests/next-edition.ts";
import { previewSendNow } from "../delivery/preview.ts";
import { dryRun, editionReport, prepareEditionContent, resumeEdition, retryFailed, sendNow, sendTestCopy } from "../delivery/operator-sends.ts";
import { feedReaders } from "../feeds/audience-store.ts";
import { constantTimeEqual } from "../http/admin-auth.ts";
import { consoleQuery, eraseForm, loginForm, sendForm, testCopyForm, uploadForm } from "../http/console-forms.ts";
import { IMPORT_MAX_BYTES } from "../http/operator-schemas.ts";
import { describeForReader, type ReaderFields } from "../zod-messages.ts";
import { MailerError } from "../email/mailer.ts";
import { recentMailFailures } from "../email/mail-failures-store.ts";
import { sharedWindow } from "../email/provider-window.ts";
import { fileText, readBody, type BodyRules } from "../http/read-body.ts";
import { enteredText, validate, type InvalidAnswer } from "../http/validate.ts";
import { importCsv } from "../subscribers/csv-import.ts";
import { canonicalEmail } from "../subscribers/email-address.ts";
import { CSV_EXPORT_HEADERS, eraseSubscriber, subscribersCsv } from "../subscribers/operator-actions.ts";
import { listSubscribers } from "../subscribers/operator-store.ts";
import { getSubscriberByEmail } from "../subscribers/store.ts";

/** The console's own forms are a few fields; an upload is a CSV. */
const consoleForm = readBody({ form: { maxBytes: 4 * 1024, answer: "page" } });
const consoleUpload: BodyRules = { maxBytes: IMPORT_MAX_BYTES, answer: "page" };

const GROWTH_DAYS = 30;
const DASHBOARD_EDITIONS = 10;
/** Transactional mail failures listed on the dashboard, newest first. */
const DASHBOARD_MAIL_FAILURES = 20;
const ARCHIVE_EDITIONS = 100;

/** The console's form and query fields, as its pages name them. */
const CONSOLE_FIELDS: ReaderFields = {
  token: { label: "运营令牌", fix: "请只填写一个令牌。" },
  testTo: { label: "测试收件地址", fix: "请填写一个邮箱地址。" },
  force: { label: "强制发送", fix: "勾选框的值不对，请刷新页面后重新提交。" },
  recipients: { label: "收件人数", fix: "确认页带回的人数不对，请从发送按钮重新开始。" },
  email: { label: "地址", fix: "请只提交一个地址，从订阅者列表的「删除…」链接重新开始。" },
  q: { label: "地址开头", fix: "最多 254 个字符，请缩短后再筛选。" },
  status: { label: "状态", fix: "请从下拉列表中选择状态。" },
  digest: { label: "简报", fix: "请从下拉列表中选择简报。" },
  cursor: { label: "翻页位置", fix: "链接已失效，请回到第一页重新翻页。" },
  limit: { label: "每页条数", fix: "须为 1 到 500 之间的整数。" },
};

/** A console form that fails its schema: a page saying which field is wrong, nothing done. */
const consoleFormProblem: InvalidAnswer = (c, error) =>
  c.html(messagePage("提交的内容有误", `没有执行任何操作。${describeForReader(error, CONSOLE_FIELDS)}`), 400);

type DigestEnv = AppEnv & { Variables: { digest: Digest } };

export interface AdminOptions {
  /** Where Cloudflare Access keys come from (tests pass a local key set). */
  accessKeys?: AccessKeySource;
}

export function createAdmin({ accessKeys = remoteAccessKeys }: AdminOptions = {}) {
  const admin = factory.createApp();

  admin.get("/assets/console.js", (c) =>
    c.body(CONSOLE_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }),
  );

  admin.use("*", sameOriginOnly, operatorSecretsStrong);

  admin.get("/login", (c) => c.html(loginPage(null, accessSettings(c.env) !== null)));

  const loginProblem: InvalidAnswer<AppEnv> = (c, error) =>
    c.html(loginPage(`无法登录：${describeForReader(error, CONSOLE_FIELDS)}`, accessSettings(c.env) !== null), 400);

  admin.post("/login", signInThrottle, consoleForm, validate("form", loginForm, loginProblem), async (c) => {
    const { token } = c.req.valid("form");
    if (!token || !(await constantTimeEqual(token, c.var.config.adminToken))) return refuseSignIn(c);
    return startSession(c);
  });

  admin.post("/logout", endSession);

  admin.use("*", requireConsoleSession(accessKeys));

  admin.post("/logout-everywhere", endEverySession);

  admin.get("/", async (c) => {
    const now = new Date();
    const [statuses, growth, editions, readers, mailFailures] = await Promise.all([
      subscriberStatusCounts(c.env.DB),
      dailyGrowth(c.env.DB, now, GROWTH_DAYS),
      recentEditionSummaries(c.env.DB, DASHBOARD_EDITIONS),
      feedReaders(c.env.DB, now),
      recentMailFailures(c.env.DB, DASHBOARD_MAIL_FAILURES),
    ]);
    return c.html(dashboardPage(statuses, growth, editions, readers, mailFailures));
  });

  async function renderDigestPage<E extends AppEnv>(c: Context<E>, digest: Digest, extra: { message?: { text: string; kind: "ok" | "error" }; testTo?: string } = {}) {
    const config = c.var.config;
    const now = new Date();
    const [plan, preview, editions] = await Promise.all([
      dryRun(c.env.DB, digest, config.siteUrl, now),
      previewSendNow(c.env.DB, config, digest, now),
      recentEditionSummaries(c.env.DB, ARCHIVE_EDITIONS, digest.id),
    ]);
    return digestPage({ digest, nextRun: nextRunOf(digest, now), plan, preview, editions, ...extra });
  }

  const unknownDigest = <E extends AppEnv>(c: Context<E>) =>
    c.html(messagePage("找不到简报", `没有编号为「${c.req.param("id") ?? ""}」的简报，请从概览页进入。`), 404);

  admin.get("/digests/:id", needsSiteUrl, async (c) => {
    const digest = getDigest(c.req.param("id"));
    if (!digest) return unknownDigest(c);
    const text = noticeText(c.req.query("notice"));
    return c.html(await renderDigestPage(c, digest, text ? { message: { text, kind: "ok" } } : {}));
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
    const message = { text: `无法发送测试邮件：${describeForReader(error, CONSOLE_FIELDS)}`, kind: "error" as const };
    return c.html(await renderDigestPage(c, digest, { message, testTo: enteredText(input, "to") }), 400);
  };

  admin.post("/digests/:id/test", needsSiteUrl, knownDigest, consoleForm, validate("form", testCopyForm, testCopyProblem), async (c) => {
    const { digest } = c.var;
    const { testTo } = c.req.valid("form");
    const mailer = { db: c.env.DB, config: c.var.config, window: sharedWindow(c.env) };
    try {
      await sendTestCopy(mailer, digest, testTo, new Date());
      return c.redirect(`/admin/digests/${digest.id}?${noticeQuery("test-sent")}`, 303);
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
    if (confirmed === null) {
      // While the operator reads the confirmation, the edition's content goes to the provider.
      waitUntilOf(c)?.(prepareEditionContent({ db: c.env.DB, config, window: sharedWindow(c.env) }, digest, now, force));
      return c.html(sendConfirmPage({ digest, plan, force }));
    }
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
    return c.html(editionPage(report, moments, requeuedText(c.req.query("retried"), c.req.query("resumed"))));
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
    const message = { text: `筛选条件有误：${describeForReader(error, CONSOLE_FIELDS)}`, kind: "error" as const };
    return c.html(subscribersPage({ search: searchOf(c), subscribers: [], nextCursor: null, paged: false, message }), 400);
  };

  admin.get("/subscribers", validate("query", consoleQuery, subscriberSearchProblem), async (c) => {
    const search = searchOf(c);
    const { cursor, q, ...filter } = c.req.valid("query");
    const page = await listSubscribers(c.env.DB, { ...filter, ...(q ? { emailStartsWith: q } : {}), ...(cursor ? { after: cursor } : {}) });
    const text = noticeText(c.req.query("notice"));
    return c.html(
      subscribersPage({
        search,
        subscribers: page.subscribers,
        nextCursor: page.nextAfter,
        paged: cursor !== undefined,
        message: text ? { text, kind: "ok" } : null,
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
      return c.html(subscribersPage({ ...empty, ...report, message: { text: `无法导入：${result.readerMessage}`, kind: "error" } }), status);
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
    return c.redirect(`/admin/subscribers?${noticeQuery("erased")}`, 303);
  });

  return admin;
}

export const admin = createAdmin();
