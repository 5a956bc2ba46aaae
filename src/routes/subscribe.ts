/** Public subscriber flows: subscribe, confirm, unsubscribe (RFC 8058 one-click), preferences. */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import * as z from "zod/mini";
import { factory } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { withTokenSubscriber, type TokenEnv } from "../http/token-subscriber.ts";
import { digests, getDigest } from "../digests/catalog.ts";
import { firstDelivery } from "../digests/first-delivery.ts";
import { upcomingEditions } from "../digests/next-edition.ts";
import { describeInvalidFields } from "../zod-messages.ts";
import { requestProblemPage } from "../pages/error-pages.ts";
import { ApiError } from "../http/api-error.ts";
import { readBody, type BodyRules } from "../http/read-body.ts";
import { apiError, enteredText, repeatedField, validate, validateIfSent, type InvalidAnswer, type RawInput } from "../http/validate.ts";
import { DIGESTS_OFFERED_FIELD, type SubscribeFormValues } from "../pages/subscribe-form.ts";
import {
  confirmedPage,
  confirmLinkUsedPage,
  digestLeftPage,
  linkProblemPage,
  NO_DIGEST_CHOSEN,
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
import {
  checkDigestIds,
  confirmSubscription,
  leave,
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

const allDigestIds = digests.map((digest) => digest.id);

/** The form filled in again with what the reader entered, when it cannot be accepted. */
function refilled(input: RawInput): SubscribeFormValues {
  const listed = input["digests"];
  const chosen = Array.isArray(listed) ? listed : typeof listed === "string" ? [listed] : input[DIGESTS_OFFERED_FIELD] === undefined ? allDigestIds : [];
  return { email: enteredText(input, "email"), digests: chosen.filter((id): id is string => typeof id === "string") };
}

const invalidSubscribePage = (message: string, values: SubscribeFormValues) =>
  subscribeInvalidPage(`请检查填写的内容后重试。原因：${message}`, values, digests);

const subscribeFormProblem: InvalidAnswer = (c, error, input) => c.html(invalidSubscribePage(describeInvalidFields(error), refilled(input)), 400);

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
  if (form && form.digests?.length === 0) return c.html(subscribeInvalidPage(NO_DIGEST_CHOSEN, entered, digests), 400);
  const now = new Date();
  const config = c.var.config;
  const clientIp = c.req.header("CF-Connecting-IP") ?? "unknown";
  const source = form ? "web form" : "api";
  const result = await requestSubscription(c.env.DB, config, { ...request, source, clientIp }, now);

  if (result.kind === "invalid") {
    if (kind === "form") return c.html(invalidSubscribePage(result.message, entered), 400);
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

subscribe.get("/confirm", needsSiteUrl, async (c) => {
  const cfg = c.var.config;
  const result = await confirmSubscription(c.env.DB, cfg, c.req.query("token"), new Date());
  if (result.kind === "rejected") return c.html(linkProblemPage(result.problem), result.problem === "invalid" ? 400 : 410);
  if (result.kind === "used") return c.html(confirmLinkUsedPage(result.subscriber), 410);
  const links = await recipientLinks(cfg.siteUrl, cfg.signingSecret, result.subscriber.id);
  return c.html(confirmedPage(digests.filter((digest) => result.subscriber.digests.includes(digest.id)), links));
});

subscribe.get("/unsubscribe", needsSiteUrl, withTokenSubscriber("unsubscribe"), async (c) => {
  const { config, subscriber, claims, token } = c.var;
  const { preferencesUrl } = await recipientLinks(config.siteUrl, config.signingSecret, subscriber.id);
  if (subscriber.status === "unsubscribed") return c.html(unsubscribedPage(preferencesUrl));
  if (subscriber.status === "suppressed") return c.html(suppressedPage());
  const postUrl = `/unsubscribe?token=${encodeURIComponent(token)}`;
  // A digest's link offers leaving that digest (while still subscribed to it) and leaving everything.
  const digest = claims.digestId && subscriber.digests.includes(claims.digestId) ? getDigest(claims.digestId) : undefined;
  return c.html(unsubscribePromptPage(subscriber, postUrl, preferencesUrl, digest ?? null));
});

/**
 * Leaving. The page's buttons post `action=digest` (the link's digest) or `action=all`.
 * Anything else is an RFC 8058 one-click POST: mail providers send `List-Unsubscribe=One-Click`
 * (form-encoded) and expect no further step; it leaves the link's digest (every digest for
 * older links without one) and sends no email, because no person asked. The signed token
 * is the authority; repeating a request is harmless.
 */
// An erased subscriber is already as unsubscribed as can be: answered as done.
const leftAlready = (c: Context<TokenEnv>, problem: TokenProblem) =>
  problem === "invalid" ? c.html(linkProblemPage("invalid"), 400) : c.html(unsubscribedPage("/#subscribe"));

// Only the page's two buttons count as a person; any other `action` (none, repeated, unknown) is one-click.
const unsubscribeForm = z.object({ action: z.catch(z.optional(z.enum(["digest", "all"])), undefined) });

/** A form that cannot be read as its schema says (the schema says why), as a page. */
const formProblemPage: InvalidAnswer = (c, error) =>
  c.html(requestProblemPage("无法处理提交的内容", `请返回上一页重新提交。原因：${describeInvalidFields(error)}`), 400);

subscribe.post(
  "/unsubscribe",
  needsSiteUrl,
  withTokenSubscriber("unsubscribe", leftAlready),
  readBody({ form: pageForm }),
  validate("form", unsubscribeForm, formProblemPage),
  async (c) => {
    const { config, subscriber, claims } = c.var;
    const now = new Date();
    const { action } = c.req.valid("form");
    const byPerson = action === "digest" || action === "all";
    const digestId = action === "all" ? null : (claims.digestId ?? null);
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
  return c.html(preferencesPage(subscriber, digests, preferencesUrlOf(token), null));
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
    ? "无法识别要执行的操作：请点击“保存”或“全部退订”。"
    : `无法保存：${describeInvalidFields(error)}`;
  return c.html(preferencesPage(subscriber, digests, preferencesUrlOf(token), { kind: "error", text }), 400);
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
    const checked = checkDigestIds(chosen);
    if (!checked.ok) {
      const text = chosen.length === 0 ? "请至少选择一个摘要；不想再收任何摘要请点击“全部退订”。" : `无法保存：${checked.message}`;
      return c.html(preferencesPage(subscriber, digests, postUrl, { kind: "error", text }), 400);
    }
    const saved = await setSubscriptions(c.env.DB, subscriber, checked.ids, now);
    const text = saved.status === "active" && subscriber.status === "unsubscribed" ? "已保存，你已重新订阅。" : "已保存。";
    return c.html(preferencesPage(saved, digests, postUrl, { kind: "saved", text }));
  },
);
