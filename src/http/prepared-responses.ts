/**
 * Prepared feed and page responses by URL, answered in front of the router. Feed readers
 * poll constantly, and for a 304 the routing and site-URL work cost about a fifth of the
 * request: once a route has prepared a representation for a URL, later GET and HEAD
 * requests for it only pay the conditional check.
 */
import { respondWith, type Representation } from "./conditional.ts";

/** Bounded: the key holds the request URL, and Host headers are arbitrary. */
const MAX_ENTRIES = 512;
const byUrl = new Map<string, Representation>();

/** A body depends on SITE_URL and the URL (origin and path); URLs with a query are never kept. */
const keyOf = (siteUrlVar: string, url: string): string | null => (url.includes("?") ? null : `${siteUrlVar} ${url}`);

/** The prepared response for this request, or null when the router must answer it. */
export function respondPrepared(request: Request, env: Env): Response | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const key = keyOf(env.SITE_URL, request.url);
  const representation = key === null ? undefined : byUrl.get(key);
  return representation ? respondWith(request, representation) : null;
}

/** Answers a route's request with its representation and keeps it for respondPrepared. */
export function respondAndRemember(request: Request, env: Env, representation: Representation): Response {
  const key = keyOf(env.SITE_URL, request.url);
  if (key !== null) {
    if (byUrl.size >= MAX_ENTRIES) byUrl.clear();
    byUrl.set(key, representation);
  }
  return respondWith(request, representation);
}
