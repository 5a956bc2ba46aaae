/** Per-request settings on `c.var`: read once by the app's middleware, not by each handler. */
import { getConfig } from "../config.ts";
import { factory } from "./app-env.ts";

/**
 * `c.var.config`: in development links may follow the request's own origin; in
 * production they come from SITE_URL only (src/config.ts). Reading costs nothing: the
 * settings a route does not use are never read (getters), so a missing secret only
 * fails the routes that need it.
 */
export const withConfig = factory.createMiddleware(async (c, next) => {
  c.set("config", getConfig(c.env, new URL(c.req.url).origin));
  await next();
});

/**
 * For routes that build absolute links: a missing SITE_URL fails the request here, before
 * any work (some links go out after the response, in emails, where the error could only
 * be logged).
 */
export const needsSiteUrl = factory.createMiddleware(async (c, next) => {
  void c.var.config.siteUrl;
  await next();
});
