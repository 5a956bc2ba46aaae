/** The absolute base URL a request's links are built from, and the cache key of what is built for it. */
import type { Context } from "hono";
import type { AppEnv } from "../app.ts";
import { getConfig, type Config } from "../config.ts";
import { contentHash } from "../content/collection.ts";

/**
 * The configuration of a route that builds absolute links. In development links may follow
 * the request's own origin; in production they come from SITE_URL only, and a missing
 * SITE_URL fails the request here, before any work (some links go out after the
 * response, in emails, where the error could only be logged).
 */
export function requestConfig(c: Context<AppEnv>): Config {
  const config = getConfig(c.env, new URL(c.req.url).origin);
  void config.siteUrl;
  return config;
}

/** SITE_URL, or in development the request's own origin when it is unset. */
export const siteUrlOf = (c: Context<AppEnv>): string => requestConfig(c).siteUrl;

/** Built bodies depend on the site URL, the content and the path, and on nothing else. */
export const representationKey = (siteUrl: string, path: string): string => `${contentHash} ${siteUrl}${path}`;
