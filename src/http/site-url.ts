/** The absolute base URL a request's links are built from, and the cache key of what is built for it. */
import type { Context } from "hono";
import type { AppEnv } from "../app.ts";
import { getConfig } from "../config.ts";
import { contentHash } from "../content/collection.ts";

/** SITE_URL, or the request's own origin when it is unset. */
export const siteUrlOf = (c: Context<AppEnv>): string => getConfig(c.env, new URL(c.req.url).origin).siteUrl;

/** Built bodies depend on the site URL, the content and the path, and on nothing else. */
export const representationKey = (siteUrl: string, path: string): string => `${contentHash} ${siteUrl}${path}`;
