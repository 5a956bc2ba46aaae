/** Public subscriber flows: subscribe, confirm, unsubscribe (RFC 8058 one-click), preferences. */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { AppEnv } from "../app.ts";
import { digests } from "../digests/catalog.ts";
import { ApiError, describeInvalidFields } from "../http/api-error.ts";
import { requestConfig } from "../http/site-url.ts";
import {
  confirmedPage,
  confirmLinkUsedPage,
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
import { setSubscriptions } from "../subscribers/store.ts";
import {
  checkDigestIds,
  confirmSubscription,
  leave,
  requestSubscription,
  resolveToken,
} from "../subscribers/subscription-flow.ts";

export const subscribe = new Hono<AppEnv>();

/** Form posts and JSON bodies are tiny; anything larger is not a subscription. */
export const smallBody = bodyLimit({
  maxSize: 4 * 1024,
  onError: (c) => c.json(new ApiError(413, "payload_too_large", "request body is larger than 4 KB"), 413),
});

/**
 * Runs a follow-up (writes, an email) after the response, logging rather than losing a
 * failure. It starts on a later turn of the event loop, once the response has been
 * handed back, so not even its first query is issued before the answer.
 */
function afterResponse(c: Context<AppEnv>, followUp: (() => Promise<void>) | null) {
  if (!followUp) return;
  c.executionCtx.waitUntil(
    new Promise((resolve) => setTimeout(resolve, 0))
      .then(followUp)
      .catch((error: unknown) => console.error(`follow-up of ${c.req.method} ${c.req.path} failed:`, error)),
  );
}

const subscribeBody = z.object({
  email: z.string({ error: "required, a string" }),
  digests: z.array(z.string({ error: "expected a digest id (string)" }), { error: "expected an array of digest ids" }).optional(),
});

type BodyKind = "json" | "form";

function bodyKind(c: Context<AppEnv>): BodyKind {
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") return "form";
  throw new ApiError(
    415,
    "unsupported_media_type",
    "send application/json or a form (application/x-www-form-urlencoded or multipart/form-data)",
  );
}

async function readSubscribeBody(c: Context<AppEnv>, kind: BodyKind): Promise<unknown> {
  if (kind === "form") {
    const form = await c.req.parseBody({ all: true });
    const listed = form["digests"];
    return { email: form["email"], ...(listed === undefined ? {} : { digests: [listed].flat() }) };
  }
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_json", "request body is not valid JSON");
  }
}

subscribe.post("/api/subscribe", smallBody, async (c) => {
  const kind = bodyKind(c);
  const parsed = subscribeBody.safeParse(await readSubscribeBody(c, kind));
  const result = parsed.success
    ? await requestSubscription(
        c.env.DB,
        requestConfig(c),
        {
          ...parsed.data,
          source: kind === "form" ? "web form" : "api",
          clientIp: c.req.header("CF-Connecting-IP") ?? "unknown",
        },
        new Date(),
      )
    : ({ kind: "invalid", message: describeInvalidFields(parsed.error) } as const);

  if (result.kind === "invalid") {
    if (kind === "form") return c.html(subscribeInvalidPage(result.message), 400);
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
  if (kind === "form") return c.html(subscribeAcceptedPage());
  return c.json(
    { message: "if this address can be subscribed, a confirmation email is on its way: open its link to confirm" },
    202,
  );
});

subscribe.get("/confirm", async (c) => {
  const cfg = requestConfig(c);
  const result = await confirmSubscription(c.env.DB, cfg, c.req.query("token"), new Date());
  if (result.kind === "rejected") return c.html(linkProblemPage(result.problem), result.problem === "invalid" ? 400 : 410);
  if (result.kind === "used") return c.html(confirmLinkUsedPage(result.subscriber), 410);
  const links = await recipientLinks(cfg.siteUrl, cfg.signingSecret, result.subscriber.id);
  const titles = digests.filter((digest) => result.subscriber.digests.includes(digest.id)).map((digest) => digest.title);
  return c.html(confirmedPage(titles, links));
});

subscribe.get("/unsubscribe", async (c) => {
  const cfg = requestConfig(c);
  const token = c.req.query("token");
  const resolved = await resolveToken(c.env.DB, cfg.signingSecret, token, "unsubscribe", new Date());
  if (!resolved.ok) return c.html(linkProblemPage(resolved.problem), resolved.problem === "invalid" ? 400 : 410);
  const { preferencesUrl } = await recipientLinks(cfg.siteUrl, cfg.signingSecret, resolved.subscriber.id);
  if (resolved.subscriber.status === "unsubscribed") return c.html(unsubscribedPage(preferencesUrl));
  if (resolved.subscriber.status === "suppressed") return c.html(suppressedPage());
  const postUrl = `/unsubscribe?token=${encodeURIComponent(token ?? "")}`;
  return c.html(unsubscribePromptPage(resolved.subscriber, postUrl, preferencesUrl));
});

/**
 * RFC 8058 one-click: mail providers POST `List-Unsubscribe=One-Click` as
 * application/x-www-form-urlencoded and expect no further step. The page's button
 * posts the same body. The signed token is the authority; repeating it is harmless.
 */
subscribe.post("/unsubscribe", smallBody, async (c) => {
  const cfg = requestConfig(c);
  const resolved = await resolveToken(c.env.DB, cfg.signingSecret, c.req.query("token"), "unsubscribe", new Date());
  if (!resolved.ok && resolved.problem === "invalid") return c.html(linkProblemPage("invalid"), 400);
  // An erased subscriber is already as unsubscribed as can be: answer as done.
  if (!resolved.ok) return c.html(unsubscribedPage("/#subscribe"));
  const { followUp } = await leave(c.env.DB, cfg, resolved.subscriber, "one-click", new Date());
  afterResponse(c, followUp);
  const { preferencesUrl } = await recipientLinks(cfg.siteUrl, cfg.signingSecret, resolved.subscriber.id);
  return c.html(unsubscribedPage(preferencesUrl));
});

subscribe.get("/preferences", async (c) => {
  const cfg = requestConfig(c);
  const token = c.req.query("token");
  const resolved = await resolveToken(c.env.DB, cfg.signingSecret, token, "preferences", new Date());
  if (!resolved.ok) return c.html(linkProblemPage(resolved.problem), resolved.problem === "invalid" ? 400 : 410);
  if (resolved.subscriber.status === "suppressed") return c.html(suppressedPage(), 410);
  const postUrl = `/preferences?token=${encodeURIComponent(token ?? "")}`;
  return c.html(preferencesPage(resolved.subscriber, digests, postUrl, null));
});

subscribe.post("/preferences", smallBody, async (c) => {
  const cfg = requestConfig(c);
  const token = c.req.query("token");
  const now = new Date();
  const resolved = await resolveToken(c.env.DB, cfg.signingSecret, token, "preferences", now);
  if (!resolved.ok) return c.html(linkProblemPage(resolved.problem), resolved.problem === "invalid" ? 400 : 410);
  const { subscriber } = resolved;
  if (subscriber.status === "suppressed") return c.html(suppressedPage(), 410);
  const postUrl = `/preferences?token=${encodeURIComponent(token ?? "")}`;
  const form = await c.req.parseBody({ all: true });

  if (form["action"] === "leave") {
    const { followUp } = await leave(c.env.DB, cfg, subscriber, "preferences", now);
    afterResponse(c, followUp);
    return c.html(unsubscribedPage(postUrl));
  }
  const chosen = [form["digests"] ?? []].flat().filter((value): value is string => typeof value === "string");
  const checked = checkDigestIds(chosen);
  if (!checked.ok) {
    const text = chosen.length === 0 ? "请至少选择一个摘要；不想再收任何摘要请点击“全部退订”。" : `无法保存：${checked.message}`;
    return c.html(preferencesPage(subscriber, digests, postUrl, { kind: "error", text }), 400);
  }
  const saved = await setSubscriptions(c.env.DB, subscriber, checked.ids, now);
  const text = saved.status === "active" && subscriber.status === "unsubscribed" ? "已保存，你已重新订阅。" : "已保存。";
  return c.html(preferencesPage(saved, digests, postUrl, { kind: "saved", text }));
});
