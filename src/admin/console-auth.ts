/**
 * The console's authentication as middleware: the same-origin rule for anything that
 * changes state, weak secrets closing the console in production, the failed sign-in
 * throttle (shared with the operator API, src/subscribers/operator-throttle.ts), and the session:
 * a cookie naming a live row in console_sessions, or a Cloudflare Access token.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { weakOperatorSecret, type Config } from "../config.ts";
import { log } from "../log.ts";
import { operatorAuthAllowed, recordFailedOperatorAuth } from "../subscribers/operator-throttle.ts";
import { accessSettings, ACCESS_JWT_HEADER, verifyAccessToken, type AccessKeySource } from "./access.ts";
import { messagePage } from "./pages/admin-layout.ts";
import { loginPage } from "./pages/login-page.ts";
import { isSameOrigin } from "./request-origin.ts";
import { SESSION_COOKIE, SESSION_TTL_SECONDS, signSession, verifySession } from "./session.ts";
import { deleteAllSessions, deleteSession, insertSession, sessionIsLive } from "./session-store.ts";

/** What the console's middleware needs from the app: its bindings and the request's settings. */
export interface ConsoleEnv {
  Bindings: Env;
  Variables: { config: Config };
}

type ConsoleContext = Context<ConsoleEnv>;

const clientIpOf = (c: ConsoleContext) => c.req.header("CF-Connecting-IP") ?? "unknown";

function cookieOptions(c: ConsoleContext) {
  const secure = c.var.config.environment !== "development";
  return { path: "/admin", httpOnly: true, secure, sameSite: "Strict" } as const;
}

/** Cross-site requests change nothing (the session cookie is SameSite=Strict as well). */
export const sameOriginOnly = createMiddleware<ConsoleEnv>(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  if (!isSameOrigin(c.req.raw, c.env.SITE_URL)) {
    return c.html(messagePage("请求被拒绝", "这个请求不是从控制台本身发出的（跨站请求），没有执行任何操作。", false), 403);
  }
  return next();
});

/** In production a weak ADMIN_TOKEN or SIGNING_SECRET closes the console (503, naming the setting). */
export const operatorSecretsStrong = createMiddleware<ConsoleEnv>(async (c, next) => {
  const weak = weakOperatorSecret(c.var.config);
  if (!weak) return next();
  log.error("operator-route-closed", { method: c.req.method, path: c.req.path, reason: weak });
  return c.html(messagePage("控制台已关闭", `运营令牌或签名密钥太弱，生产环境下控制台暂不开放。管理员需要修正：${weak}`, false), 503);
});

const accessEnabled = (c: ConsoleContext) => accessSettings(c.env) !== null;

/** Sign-in attempts from a client that failed too often wait (429), the right token included. */
export const signInThrottle = createMiddleware<ConsoleEnv>(async (c, next) => {
  const allowed = await operatorAuthAllowed(c.env.DB, clientIpOf(c), new Date());
  if (!allowed.ok) {
    c.header("Retry-After", String(allowed.retryAfterSeconds));
    return c.html(loginPage(`尝试次数过多，请在 ${Math.ceil(allowed.retryAfterSeconds / 60)} 分钟后再试。`, accessEnabled(c)), 429);
  }
  await next();
});

/** A wrong token: counted against the client, and the form again. */
export async function refuseSignIn(c: ConsoleContext): Promise<Response> {
  await recordFailedOperatorAuth(c.env.DB, clientIpOf(c), new Date());
  return c.html(loginPage("令牌不正确。", accessEnabled(c)), 403);
}

/** A right token: a new session, its cookie, and the dashboard. */
export async function startSession(c: ConsoleContext): Promise<Response> {
  const now = new Date();
  const session = await signSession(c.var.config.signingSecret, now);
  await insertSession(c.env.DB, session, now);
  setCookie(c, SESSION_COOKIE, session.cookie, { ...cookieOptions(c), maxAge: SESSION_TTL_SECONDS });
  return c.redirect("/admin", 303);
}

/** Signing out ends this session for every copy of its cookie. */
export async function endSession(c: ConsoleContext): Promise<Response> {
  const check = await verifySession(c.var.config.signingSecret, getCookie(c, SESSION_COOKIE), new Date());
  if (check.ok) await deleteSession(c.env.DB, check.id);
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
  return c.redirect("/admin/login", 303);
}

/** 全部设备退出: every console session ends (links in readers' inboxes are signed with another key and keep working). */
export async function endEverySession(c: ConsoleContext): Promise<Response> {
  await deleteAllSessions(c.env.DB);
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
  return c.redirect("/admin/login", 303);
}

async function hasSession(c: ConsoleContext, accessKeys: AccessKeySource): Promise<boolean> {
  const now = new Date();
  const check = await verifySession(c.var.config.signingSecret, getCookie(c, SESSION_COOKIE), now);
  if (check.ok && (await sessionIsLive(c.env.DB, check.id, now))) return true;
  const settings = accessSettings(c.env);
  const token = c.req.header(ACCESS_JWT_HEADER);
  return settings !== null && token !== undefined && (await verifyAccessToken(token, settings, accessKeys));
}

/** Every console page but the sign-in form: a live session, checked on each request, or off to sign in. */
export const requireConsoleSession = (accessKeys: AccessKeySource) =>
  createMiddleware<ConsoleEnv>(async (c, next) => {
    if (!(await hasSession(c, accessKeys))) return c.redirect("/admin/login", 303);
    c.header("Cache-Control", "no-store");
    await next();
  });
