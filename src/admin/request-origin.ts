/**
 * Cross-site request check for the console's state-changing requests. Browsers send
 * `Origin` with every POST; a form on another site carries that site's origin, so only
 * the console's own origin (or SITE_URL's, behind a proxy) is accepted. Without Origin,
 * `Sec-Fetch-Site: same-origin` is accepted; anything else is cross-site.
 */
export function isSameOrigin(request: Request, siteUrl: string): boolean {
  const origin = request.headers.get("Origin");
  if (origin === null || origin === "null") return origin === null && request.headers.get("Sec-Fetch-Site") === "same-origin";
  const allowed = new Set([new URL(request.url).origin]);
  if (siteUrl) allowed.add(new URL(siteUrl).origin);
  return allowed.has(origin);
}
