/** The absolute base URL a request's links are built from, and the cache key of what is built for it. */
import type { Context } from "hono";
import type { AppEnv } from "../app.ts";
import { getConfig, type Config } from "../config.ts";
import { contentHash } from "../content/collection.ts";

/** The configuration for this request: links default to the request's own origin. */
export const requestConfig = (c: Context<AppEnv>): Config => getConfig(c.env, new URL(c.req.url).origin);

/** SITE_URL, or the request's own origin when it is unset. */
export const siteUrlOf = (c: Context<AppEnv>): string => requestConfig(c).siteUrl;

/** Built bodies depend on the site URL, the content and the path, and on nothing else. */
export const representationKey = (siteUrl: string, path: string): string => `${contentHash} ${siteUrl}${path}`;
