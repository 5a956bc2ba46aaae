/**
 * Security headers of every HTML page, in one place: `securePages` (app.ts) adds them to
 * every HTML answer of the routes, and a page kept in the representation store carries
 * PAGE_SECURITY_HEADERS from the moment it is prepared (src/routes/site.ts), so a store
 * hit answered by `servePrepared` has them too.
 *
 * The policy: no inline script at all (JavaScript only as same-origin files), inline
 * styles allowed (the layout and the emails shown as pages use them), no framing of our
 * pages (clickjacking the unsubscribe buttons), forms posting only to this site, and
 * same-origin frames for the outbox viewer's sandboxed srcdoc iframes.
 */
import { factory } from "./app-env.ts";

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "connect-src 'self'",
  "frame-src 'self'",
].join("; ");

/** Headers of a page whose URL carries no secret. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  // For browsers that predate frame-ancestors.
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/**
 * A page reached with ?token= (confirm, unsubscribe, preferences) must not leak it to the
 * next site: `same-origin` sends no Referer to any other site. Not `no-referrer`: under it
 * browsers send `Origin: null` with the page's own form posts, and the confirmation
 * button's POST must show its origin to be accepted (src/routes/subscribe.ts).
 */
const TOKEN_PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...PAGE_SECURITY_HEADERS,
  "referrer-policy": "same-origin",
};

function pageSecurityHeaders(url: string): Readonly<Record<string, string>> {
  return new URL(url).searchParams.has("token") ? TOKEN_PAGE_SECURITY_HEADERS : PAGE_SECURITY_HEADERS;
}

const isHtml = (response: Response) => (response.headers.get("content-type") ?? "").startsWith("text/html");

/** Adds the page headers to every HTML answer of the router, error pages included. */
export const securePages = factory.createMiddleware(async (c, next) => {
  await next();
  if (!isHtml(c.res)) return;
  for (const [name, value] of Object.entries(pageSecurityHeaders(c.req.url))) c.res.headers.set(name, value);
});
