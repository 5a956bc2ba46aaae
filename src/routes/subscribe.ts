/** Public subscriber flows: subscribe, confirm, unsubscribe (RFC 8058 one-click), preferences. */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import * as z from "zod/mini";
import { isSameOrigin } from "../admin/request-origin.ts";
import { factory, type AppEnv } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { withTokenSubscriber, type TokenEnv } from "../http/token-subscriber.ts";
import { digests, getDigest, offeredDigests } from "../digests/catalog.ts";
import { firstDelivery } from "../digests/first-delivery.ts";
import { upcomingEditions } from "../digests/next-edition.ts";
import { describeForReader, type ReaderFields } from "../zod-messages.ts";
import { requestProblemPage } from "../pages/error-pages.ts";
import { ApiError } from "../http/api-error.ts";
import { readBody, type BodyRules } from "../http/read-body.ts";
import { apiError, enteredText, repeatedField, validate, validateIfSent, type InvalidAnswer, type RawInput } from "../http/validate.ts";
import { DIGESTS_OFFERED_FIELD, type SubscribeFormValues } from "../pages/subscribe-form.ts";
import {
  confirmedPage,
  confirmLinkSupersededPage,
  confirmLinkUsedPage,
  confirmPromptPage,
  digestAlreadyLeftPage,
  digestLeftPage,
  linkProblemPage,
  preferencesPage,
  rateLimitedPage,
  subscribeAcceptedPage,
  subscribeInvalidPage,
  suppressedPage,
  unsubscribedPage,
  unsubscribePromptPage,
} from "../pages/subscription-pages.ts";
import { recipientLinks } from "../subscribers/links.ts";
import { enqueueMail } from "../subscribers/mail-queue.ts";
import { setSubscriptions } from "../subscribers/store.ts";
import { welcomingDigests } from "../subscribers/welcome.ts";
import {
  checkConfirmation,
  checkDigestIds,
  confirmSubscription,
  type ConfirmRefusal,
  leave,
  NO_DIGEST_CHOSEN,
  requestSubscription,
  type TokenProblem,
} from "../subscribers/subscription-flow.ts";

export const subscribe = factory.createApp();

/** Form posts and JSON bodies are tiny; anything larger is not a subscription. */
const SMALL_BODY_BYTES = 4 * 1024;
/** The site's own forms (and RFC 8058 one-click posts): rejected bodies get a page. */
const pageForm: BodyRules = { maxBytes: SMALL_BODY_BYTES, answer: "page" };
const apiJson: BodyRules = { maxBytes: SMALL_BODY_BYTES, answer: "json" };

const subscribeBody = z.object({
  email: z.string({ error: "required, a string" }),
  digests: z.optional(z.array(z.string({ error: "expected a digest id (string)" }), { error: "expected an array of digest ids" })),
});

type SubscribeRequest = z.output<typeof subscribeBody>;

/**
 * The home page's form, mapped onto the JSON body: `digests` repeats, and the form always
 * offers the digests (DIGESTS_OFFERED_FIELD), so none checked is an empty choice, not "all".
 */
const subscribeForm = z.pipe(
  z.pipe(
    z.object({ email: z.unknown(), digests: z.optional(repeatedField), [DIGESTS_OFFERED_FIELD]: z.unknown() }),
    z.transform(({ email, digests: listed, [DIGESTS_OFFERED_FIELD]: offered }) => ({
      email,
      ...(listed !== undefined ? { digests: listed } : offered !== undefined ? { digests: [] } : {}),
    })),
  ),
  subscribeBody,
);

const allDigestIds = offeredDigests.map((digest) => digest.id);

/** The form filled in again with what the reader entered, when it cannot be accepted. */
function refilled(input: RawInput): SubscribeFormValues {
  const listed = input["digests"];
  const chosen = Array.isArray(listed) ? listed : typeof listed === "string" ? [listed] : input[DIGESTS_OFFERED_FIELD] === undefined ? allDigestIds : [];
  return { email: enteredText(input, "email"), digests: chosen.filter((id): id is string => typeof id === "string") };
}

/** The subscribe form's fields, as the page names them. */
const DIGESTS_FIELD: ReaderFields = { digests: { label: "简报", fix: "请在列表中勾选要接收的简报。" } };
const SUBSCRIBE_FIELDS: ReaderFields = { email: { label: "邮箱", fix: "请填写一个邮箱地址。" }, ...DIGESTS_FIELD };

const subscribeFormProblem: InvalidAnswer = (c, error, input) =>
  c.html(subscribeInvalidPage(describeForReader(error, SUBSCRIBE_FIELDS), refilled(input), offeredDigests), 400);

/** JSON comes from a program and is answered with JSON; a form post from the home page, with pages. */
const subscribeRequest = [
  readBody({ json: apiJson, form: pageForm }),
  validateIfSent("json", subscribeBody, apiError("invalid_request")),
  validateIfSent("form", subscribeForm, subscribeFormProblem),
] as const;

subscribe.post("/api/subscribe", needsSiteUrl, ...subscribeRequest, async (c) => {
  const form = c.req.valid("form");
  const kind = form ? "form" : "json";
  const request: SubscribeRequest | null = form ?? c.req.valid("json");
  if (!request) throw new Error("readBody lets only JSON or a form through");
  const entered = { email: request.email, digests: request.digests ?? allDigestIds };
  if (form && form.digests?.length === 0) return c.html(subscribeInvalidPage(NO_DIGEST_CHOSEN, entered, offeredDigests), 400);
  const now = new Date();
  const config = c.var.config;
  const clientIp = c.req.header("CF-Connecting-IP") ?? "unknown";
  const source = form ? "web form" : "api";
  const result = await requestSubscription(c.env.DB, config, { ...request, source, clientIp }, now);

  if (result.kind === "invalid") {
    if (kind === "form") return c.html(subscribeInvalidPage(result.readerMessage, entered, offeredDigests), 400);
    throw new ApiError(400, "invalid_request", result.message);
  }
  if (result.kind === "rate-limited") {
    const retryAfter = String(result.retryAfterSeconds);
    if (kind === "form") return c.html(rateLimitedPage(result.retryAfterSeconds), 429, { "Retry-After": retryAfter });
    throw new ApiError(429, "rate_limited", `too many subscribe requests: retry in ${retryAfter} seconds`, {
      "Retry-After": retryAfter,
    });
  }
  // The same message for every address, whatever its state: the consumer decides (mail-queue.ts).
  await enqueueMail(c.env.MAIL_QUEUE, { type: "subscribe", ...result.request }, config.siteUrl, now);
  if (kind === "form") {
    const upcoming = await upcomingEditions(c.env.DB, digests.filter((digest) => entered.digests.includes(digest.id)), now);
    return c.html(subscribeAcceptedPage(firstDelivery(upcoming), now, config.mailFrom));
  }
  return c.json(
    { message: "if this address can be subscribed, a confirmation email is on its way: open its link to confirm" },
    202,
  );
});

const confirmPostUrl = (token: string | undefined) => `/confirm?token=${encodeURIComponent(token ?? "")}`;

/** A confirmation link that cannot confirm (any more): why, as a page. */
function confirmProblem(c: Context<AppEnv>, refusal: ConfirmRefusal) {
  if (refusal.kind === "rejected") return c.html(linkProblemPage(refusal.problem), refusal.problem === "invalid" ? 400 : 410);
  if (refusal.kind === "used") return c.html(confirmLinkUsedPage(refusal.subscriber), 410);
  return c.html(confirmLinkSupersededPage(), 410);
}

// Opening the link (GET, and HEAD through it) only asks: mail scanners fetch every link.
subscribe.get("/confirm", needsSiteUrl, async (c) => {
  const token = c.req.query("token");
  const check = await checkConfirmation(c.env.DB, c.var.config, token, new Date());
  if (check.kind !== "ready") return confirmProblem(c, check);
  const chosen = digests.filter((digest) => check.subscriber.digests.includes(digest.id));
  return c.html(confirmPromptPage(check.subscriber, chosen, confirmPostUrl(token)));
});

/** The confirmation page's button: a same-origin POST is the reader's consent. */
subscribe.post("/confirm", needsSiteUrl, async (c) => {
  const cfg = c.var.config;
  if (!isSameOrigin(c.req.raw, cfg.siteUrl)) {
    return c.html(requestProblemPage("请求被拒绝", "确认订阅只能通过确认页面上的按钮完成。请重新打开确认邮件中的链接，再点击「确认订阅」。"), 403);
  }
  const now = new Date();
  const result = await confirmSubscription(c.env.DB, cfg, c.req.query("token"), now);
  if (result.kind !== "confirmed") return confirmProblem(c, result);
  const { subscriber } = result;
  const chosen = digests.filter((digest) => subscriber.digests.includes(digest.id));
  const [links, upcoming] = await Promise.all([
    recipientLinks(cfg.siteUrl, cfg.signingSecret, subscriber.id),
    upcomingEditions(c.env.DB, chosen, now),
  ]);
  const first = firstDelivery(upcoming);
  if (welcomingDigests(subscriber).length > 0) await enqueueMail(c.env.MAIL_QUEUE, { type: "welcome", subscriber: subscriber.id }, cfg.siteUrl, now);
  return c.html(confirmedPage(chosen, first, now, links));
});

subscribe.get("/unsubscribe", needsSiteUrl, withTokenSubscriber("unsubscribe"), async (c) => {
  const { config, subscriber, claims, token } = c.var;
  const { preferencesUrl } = await recipientLinks(config.siteUrl, config.signingSecret, subscriber.id);
  if (subscriber.status === "unsubscribed") return c.html(unsubscribedPage(preferencesUrl));
  if (subscriber.status === "suppressed") return c.html(suppressedPage());
  const postUrl = `/unsubscribe?token=${encodeURIComponent(token)}`;
  const linked = claims.digestId ? getDigest(claims.digestId) : undefined;
  // Left already (one-click from the mail client): say so and offer the digests still received.
  if (linked && !subscriber.digests.includes(linked.id)) {
    const remaining = digests.filter((d) => subscriber.digests.includes(d.id));
    return c.html(digestAlreadyLeftPage(subscriber, postUrl, preferencesUrl, linked, remaining));
  }
  // A digest's link offers leaving that digest and leaving everything.
  return c.html(unsubscribePromptPage(subscriber, postUrl, preferencesUrl, linked ?? null));
});

/**
 * Leaving. The page's buttons post `action=digest` (the link's digest), `action=all` or
 * `leave=<digest id>` (another digest still received, offered once the link's is gone).
 * Anything else is an RFC 8058 one-click POST: mail providers send `List-Unsubscribe=One-Click`
 * (form-encoded) and expect no further step; it leaves the link's digest (every digest for
 * older links without one) and sends no email, because no person asked. The signed token
 * is the authority; repeating a request is harmless.
 */
// An erased subscriber is already as unsubscribed as can be: answered as done.
const leftAlready = (c: Context<TokenEnv>, problem: TokenProblem) =>
  problem === "invalid" ? c.html(linkProblemPage("invalid"), 400) : c.html(unsubscribedPage("/#subscribe"));

// Only the page's buttons count as a person; any other `action` (none, repeated, unknown) is one-click.
const unsubscribeForm = z.object({
  action: z.catch(z.optional(z.enum(["digest", "all"])), undefined),
  leave: z.optional(z.string({ error: "expected one digest id" })),
});

/** A form that cannot be read as its schema says (the schema says why), as a page. */
const formProblemPage: InvalidAnswer = (c, error) =>
  c.html(requestProblemPage("无法处理提交的内容", describeForReader(error, {})), 400);

subscribe.post(
  "/unsubscribe",
  needsSiteUrl,
  withTokenSubscriber("unsubscribe", leftAlready),
  readBody({ form: pageForm }),
  validate("form", unsubscribeForm, formProblemPage),
  async (c) => {
    const { config, subscriber, claims } = c.var;
    const now = new Date();
    const { action, leave: named } = c.req.valid("form");
    const other = named === undefined ? undefined : getDigest(named);
    if (named !== undefined && !other) {
      return c.html(requestProblemPage("无法退订", `没有名为「${named}」的简报。请返回上一页，点击页面上的按钮。`), 400);
    }
    const byPerson = action === "digest" || action === "all" || other !== undefined;
    const digestId = action === "all" ? null : (other?.id ?? claims.digestId ?? null);
    const { unsubscribed, goodbyeDue } = await leave(
      c.env.DB,
      subscriber,
      { digestId, how: byPerson ? "unsubscribe page" : "one-click", notify: byPerson },
      now,
    );
    if (goodbyeDue) await enqueueMail(c.env.MAIL_QUEUE, { type: "goodbye", subscriber: subscriber.id }, config.siteUrl, now);
    const { preferencesUrl } = await recipientLinks(config.siteUrl, config.signingSecret, subscriber.id);
    if (unsubscribed || digestId === null) return c.html(unsubscribedPage(preferencesUrl));
    const remaining = digests.filter((d) => d.id !== digestId && subscriber.digests.includes(d.id)).map((d) => d.title);
    return c.html(digestLeftPage(getDigest(digestId)?.title ?? digestId, remaining, preferencesUrl));
  },
);

/** Preferences of a suppressed address cannot be changed (only the operator lifts a suppression). */
const notSuppressed = createMiddleware<TokenEnv>(async (c, next) => {
  if (c.var.subscriber.status === "suppressed") return c.html(suppressedPage(), 410);
  await next();
});

const preferencesUrlOf = (token: string) => `/preferences?token=${encodeURIComponent(token)}`;

subscribe.get("/preferences", needsSiteUrl, withTokenSubscriber("preferences"), notSuppressed, async (c) => {
  const { subscriber, token } = c.var;
  return c.html(preferencesPage(subscriber, offeredDigests, preferencesUrlOf(token), null));
});

/** The form's two buttons, and the digests checked (none is a choice the handler refuses). */
const preferencesForm = z.object({
  action: z.enum(["save", "leave"], { error: "expected save or leave, once" }),
  digests: z._default(repeatedField, []),
});

// A missing, repeated or unknown action saves nothing.
const preferencesProblem: InvalidAnswer<TokenEnv> = (c, error) => {
  const { subscriber, token } = c.var;
  const text = error.issues.some((issue) => issue.path[0] === "action")
    ? "无法识别要执行的操作：请点击「保存」或「全部退订」。"
    : `无法保存：${describeForReader(error, DIGESTS_FIELD)}`;
  return c.html(preferencesPage(subscriber, offeredDigests, preferencesUrlOf(token), { kind: "error", text }), 400);
};

subscribe.post(
  "/preferences",
  needsSiteUrl,
  withTokenSubscriber("preferences"),
  notSuppressed,
  readBody({ form: pageForm }),
  validate("form", preferencesForm, preferencesProblem),
  async (c) => {
    const { subscriber, token } = c.var;
    const now = new Date();
    const postUrl = preferencesUrlOf(token);
    const { action, digests: chosen } = c.req.valid("form");
    if (action === "leave") {
      const { goodbyeDue } = await leave(c.env.DB, subscriber, { digestId: null, how: "preferences", notify: true }, now);
      if (goodbyeDue) await enqueueMail(c.env.MAIL_QUEUE, { type: "goodbye", subscriber: subscriber.id }, c.var.config.siteUrl, now);
      return c.html(unsubscribedPage(postUrl));
    }
    const checked = checkDigestIds(chosen, { offeredOnly: true });
    if (!checked.ok) {
      const text = chosen.length === 0 ? "请至少选择一份简报；一份也不想再收，请点击「全部退订」。" : `无法保存：${checked.readerMessage}`;
      return c.html(preferencesPage(subscriber, offeredDigests, postUrl, { kind: "error", text }), 400);
    }
    const saved = await setSubscriptions(c.env.DB, subscriber, checked.ids, now);
    const text = saved.status === "active" && subscriber.status === "unsubscribed" ? "已保存，你已重新订阅。" : "已保存。";
    return c.html(preferencesPage(saved, offeredDigests, postUrl, { kind: "saved", text }));
  },
);
