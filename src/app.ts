/** Builds the Hono app: one error handler, the app-wide middleware, one sub-app per resource. */
import { Hono } from "hono";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { MissingSettingError } from "./config.ts";
import { allowedMethods } from "./http/allowed-methods.ts";
import { ApiError } from "./http/api-error.ts";
import type { AppEnv } from "./http/app-env.ts";
import { PageError } from "./http/page-error.ts";
import { servePrepared } from "./http/representation-store.ts";
import { withConfig } from "./http/request-config.ts";
import { securePages } from "./http/security-headers.ts";
import { methodNotAllowedPage, misconfiguredPage, requestProblemPage } from "./pages/error-pages.ts";
import { notFoundResponse, typed } from "./pages/not-found-page.ts";
import { admin } from "./routes/admin.ts";
import { digests } from "./routes/digests.ts";
import { feeds } from "./routes/feeds.ts";
import { feedsAdmin } from "./routes/feeds-admin.ts";
import { openapi } from "./routes/openapi.ts";
import { outbox } from "./routes/outbox.ts";
import { sends } from "./routes/sends.ts";
import { site } from "./routes/site.ts";
import { subscribe } from "./routes/subscribe.ts";
import { subscribersAdmin, subscribersCsvExport } from "./routes/subscribers-admin.ts";
import { webhooks } from "./routes/webhooks.ts";
import { websub } from "./routes/websub.ts";
import { publishOnFirstRequest } from "./http/websub-first-request.ts";
import { log } from "./log.ts";

// The RegExpRouter alone, not Hono's default SmartRouter (which picks it on the first
// request): a cold isolate's first answer comes ~3 ms sooner. Sub-apps keep the default,
// their routers are never matched: mounting copies their routes into this one.
export const app = new Hono<AppEnv>({ router: new RegExpRouter() });

// Prepared feeds and pages are answered first: feed readers poll constantly, and a stored
// representation already carries its headers (security headers included). securePages
// then wraps everything the routes answer, and only the routes need the settings.
app.use(servePrepared);
// After the store: an isolate's first request always misses it (the store is per isolate),
// so the check still runs on it, and a store hit pays nothing for it.
app.use(publishOnFirstRequest);
app.use(securePages);
app.use(withConfig);
app.route("/", feeds);
app.route("/", site);
app.route("/", subscribe);
app.route("/", websub);
app.route("/digests", digests);
app.route("/api/subscribers", subscribersAdmin);
app.route("/api/subscribers.csv", subscribersCsvExport);
app.route("/api/sends", sends);
app.route("/api/feeds", feedsAdmin);
// Mounted as a path of its own (a mount path always adds a "/"), like /api/subscribers.csv.
app.route("/api/openapi.json", openapi);
app.route("/webhooks", webhooks);
app.route("/outbox", outbox);
app.route("/admin", admin);

/** The API and the webhooks answer JSON; everything else is read by people, as pages. */
const answersJson = (path: string) => /^\/(api|webhooks)(\/|$)/.test(path);

/**
 * No handler for the request: a path that exists with other methods answers 405 with Allow,
 * an unknown one 404. JSON under /api and /webhooks, the site's Chinese pages everywhere
 * else (securePages adds their security headers).
 */
app.notFound(async (c) => {
  const { method, path } = c.req;
  const allowed = allowedMethods(app.routes, path);
  if (allowed.length > 0 && !allowed.includes(method)) {
    const allow = { Allow: allowed.join(", ") };
    if (answersJson(path)) return c.json(new ApiError(405, "method_not_allowed", `${method} is not allowed on ${path}; allowed: ${allow.Allow}`), 405, allow);
    return c.html(methodNotAllowedPage(method, allowed), 405, allow);
  }
  if (answersJson(path)) return c.json(new ApiError(404, "not_found", `no route for ${method} ${path}`), 404);
  return notFoundResponse(html`这个网站上没有「${typed(path)}」这个地址。`);
});

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json(err, err.status, err.headers);
  if (err instanceof PageError) return c.html(err.page, err.status);
  if (err instanceof MissingSettingError) {
    log.error("missing-setting", { method: c.req.method, path: c.req.path, problem: err.message });
    if (answersJson(c.req.path)) return c.json(new ApiError(500, "missing_setting", err.message), 500);
    return c.html(misconfiguredPage(err.message), 500);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (answersJson(c.req.path)) return c.json(new ApiError(status, "http_error", err.message || "request rejected"), status);
    return c.html(requestProblemPage("请求无法处理", "网站无法处理这个请求。请回到上一页重试。"), status);
  }
  log.error("unhandled-error", { method: c.req.method, path: c.req.path, error: err });
  if (answersJson(c.req.path)) return c.json(new ApiError(500, "internal_error", "the request failed inside the server; it was logged"), 500);
  return c.html(requestProblemPage("出错了", "网站内部出错，这个请求没有完成。请稍后再试；如果一直这样，请联系网站管理员。"), 500);
});
