/** Public subscriber flows: subscribe, confirm, unsubscribe (RFC 8058 one-click), preferences. */
import type { Context } from "hono";
import * as z from "zod/mini";
import { factory, type AppEnv } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { withTokenSubscriber, type TokenEnv } from "../http/token-subscriber.ts";
import { digests, getDigest } from "../digests/catalog.ts";
import { firstDelivery } from "../digests/first-delivery.ts";
import { upcomingEditions } from "../digests/next-edition.ts";
import { describeInvalidFields } from "../zod-messages.ts";
import { ApiError } from "../http/api-error.ts";
import { FORM_MEDIA_TYPES, readFormBody, readJsonBody, requireMediaType, type BodyRules } from "../http/read-body.ts";
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

/**
 * Runs a follow-up (writes, an email) after the response, logging rather than losing a
 * failure. It starts on a later turn of the event loop, once the response has been
 * handed back, so not even its first query is issued before the answer.
 */
function afterResponse<E extends AppEnv>(c: Context<E>, followUp: (() => Promise<void>) | null) {
  if (!followUp) return;
  c.executionCtx.waitUntil(
    new Promise((resolve) => setTimeout(resolve, 0))
      .then(followUp)
      .catch((error: unknown) => console.error(`follow-up of ${c.req.method} ${c.req.path} failed:`, error)),
  );
}

const subscribeBody = z.object({
  email: z.string({ error: "required, a string" }),
  digests: z.optional(z.array(z.string({ error: "expected a digest id (string)" }), { error: "expected an array of digest ids" })),
});

type BodyKind = "json" | "form";

function bodyKind(c: Context<AppEnv>): BodyKind {
  const type = requireMediaType(c, ["application/json", ...FORM_MEDIA_TYPES], apiJson);
  return type === "application/json" ? "json" : "form";
}

/** A form post comes from the home page and is answered with pages; JSON from a program, with JSON. */
async function readSubscribeBody(c: Context<AppEnv>, kind: BodyKind): Promise<unknown> {
  if (kind === "json") return readJsonBody(c, apiJson);
  const form = await readFormBody(c, pageForm);
  // The home page's form always offers the digests: none checked is then an empty choice, not "all".
  const listed = form["digests"] ?? (form[DIGESTS_OFFERED_FIELD] === undefined ? undefined : []);
  return { email: form["email"]?.[0], ...(listed === undefined ? {} : { digests: listed }) };
}

const allDigestIds = digests.map((digest) => digest.id);

/** What the reader entered, to fill the form in again when it cannot be accepted. */
function enteredValues(parsed: z.core.util.SafeParseResult<z.output<typeof subscribeBody>>): SubscribeFormValues {
  return parsed.success ? { email: parsed.data.email, digests: parsed.data.digests ?? allDigestIds } : { email: "", digests: allDigestIds };
}

subscribe.post("/api/subscribe", needsSiteUrl, async (c) => {
  const kind = bodyKind(c);
  const parsed = subscribeBody.safeParse(await readSubscribeBody(c, kind));
  if (kind === "form" && parsed.success && parsed.data.digests?.length === 0) {
    return c.html(subscribeInvalidPage(NO_DIGEST_CHOSEN, enteredValues(parsed), digests), 400);
  }
  const now = new Date();
  const config = c.var.config;
  const result = parsed.success
    ? await requestSubscription(
        c.env.DB,
        config,
        {
          ...parsed.data,
          source: kind === "form" ? "web form" : "api",
          clientIp: c.req.header("CF-Connecting-IP") ?? "unknown",
        },
        now,
      )
    : ({ kind: "invalid", message: describeInvalidFields(parsed.error) } as const);

  if (result.kind === "invalid") {
    if (kind === "form") {
      return c.html(subscribeInvalidPage(`请检查填写的内容后重试。原因：${result.message}`, enteredValues(parsed), digests), 400);
    }
    throw new ApiError(400, "invalid_request", result.message);
  }
  if (result.kind === "rate-limited") {
    const retryAfter = String(result.retryAfterSeconds);
    if (kind === "form") return c.html(rateLimitedPage(result.retryAfterSeconds), 429, { "Retry-After": retryAfter });
    throw new ApiError(429, "rate_limited", `too many subscribe requests: retry in ${retryAfter} seconds`, {
      "Retry-After": retryAfter,
    });
  }
  afterResponse(c, result.followUp);
  if (kind === "form") {
    const chosen = enteredValues(parsed).digests;
    const upcoming = await upcomingEditions(c.env.DB, digests.filter((digest) => chosen.includes(digest.id)), now);
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

subscribe.post("/unsubscribe", needsSiteUrl, withTokenSubscriber("unsubscribe", leftAlready), async (c) => {
  const { config, subscriber, claims } = c.var;
  const now = new Date();
  const form = await readFormBody(c, pageForm);
  const action = form["action"]?.length === 1 ? form["action"][0] : undefined;
  const byPerson = action === "digest" || action === "all";
  const digestId = action === "all" ? null : (claims.digestId ?? null);
  const { unsubscribed, followUp } = await leave(
    c.env.DB,
    config,
    subscriber,
    { digestId, how: byPerson ? "unsubscribe page" : "one-click", notify: byPerson },
    now,
  );
  afterResponse(c, followUp);
  const { preferencesUrl } = await recipientLinks(config.siteUrl, config.signingSecret, subscriber.id);
  if (unsubscribed || digestId === null) return c.html(unsubscribedPage(preferencesUrl));
  const remaining = digests.filter((d) => d.id !== digestId && subscriber.digests.includes(d.id)).map((d) => d.title);
  return c.html(digestLeftPage(getDigest(digestId)?.title ?? digestId, remaining, preferencesUrl));
});

subscribe.get("/preferences", needsSiteUrl, withTokenSubscriber("preferences"), async (c) => {
  const { subscriber, token } = c.var;
  if (subscriber.status === "suppressed") return c.html(suppressedPage(), 410);
  const postUrl = `/preferences?token=${encodeURIComponent(token)}`;
  return c.html(preferencesPage(subscriber, digests, postUrl, null));
});

subscribe.post("/preferences", needsSiteUrl, withTokenSubscriber("preferences"), async (c) => {
  const { config, subscriber, token } = c.var;
  const now = new Date();
  if (subscriber.status === "suppressed") return c.html(suppressedPage(), 410);
  const postUrl = `/preferences?token=${encodeURIComponent(token)}`;
  const form = await readFormBody(c, pageForm);
  // The form's two buttons; anything else (a missing, repeated or unknown action) saves nothing.
  const action = form["action"]?.length === 1 ? form["action"][0] : undefined;
  if (action !== "save" && action !== "leave") {
    const text = "无法识别要执行的操作：请点击“保存”或“全部退订”。";
    return c.html(preferencesPage(subscriber, digests, postUrl, { kind: "error", text }), 400);
  }

  if (action === "leave") {
    const { followUp } = await leave(c.env.DB, config, subscriber, { digestId: null, how: "preferences", notify: true }, now);
    afterResponse(c, followUp);
    return c.html(unsubscribedPage(postUrl));
  }
  const chosen = form["digests"] ?? [];
  const checked = checkDigestIds(chosen);
  if (!checked.ok) {
    const text = chosen.length === 0 ? "请至少选择一个摘要；不想再收任何摘要请点击“全部退订”。" : `无法保存：${checked.message}`;
    return c.html(preferencesPage(subscriber, digests, postUrl, { kind: "error", text }), 400);
  }
  const saved = await setSubscriptions(c.env.DB, subscriber, checked.ids, now);
  const text = saved.status === "active" && subscriber.status === "unsubscribed" ? "已保存，你已重新订阅。" : "已保存。";
  return c.html(preferencesPage(saved, digests, postUrl, { kind: "saved", text }));
});
