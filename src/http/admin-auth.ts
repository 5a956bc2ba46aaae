/**
 * Bearer ADMIN_TOKEN check for the operator API: closed (503) in production while a secret
 * is weak, 429 once the client has failed too often (counted with the console's sign-in
 * failures), compared in constant time.
 */
import { weakOperatorSecret } from "../config.ts";
import { log } from "../log.ts";
import { operatorAuthAllowed, recordFailedOperatorAuth } from "../subscribers/operator-throttle.ts";
import { factory } from "./app-env.ts";
import { ApiError } from "./api-error.ts";

const encoder = new TextEncoder();

/** Constant-time equality: compare fixed-length SHA-256 digests, so neither length nor content leaks. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

export const requireAdmin = factory.createMiddleware(async (c, next) => {
  const config = c.var.config;
  const weak = weakOperatorSecret(config);
  if (weak) {
    log.error("operator-route-closed", { method: c.req.method, path: c.req.path, reason: weak });
    throw new ApiError(503, "weak_secret", weak);
  }
  const now = new Date();
  const clientIp = c.req.header("CF-Connecting-IP") ?? "unknown";
  const allowed = await operatorAuthAllowed(c.env.DB, clientIp, now);
  if (!allowed.ok) {
    const retryAfter = String(allowed.retryAfterSeconds);
    throw new ApiError(429, "too_many_failed_attempts", `too many failed operator sign-ins from this client: retry in ${retryAfter} seconds`, {
      "Retry-After": retryAfter,
    });
  }
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("Authorization") ?? "");
  if (!match?.[1] || !(await constantTimeEqual(match[1], config.adminToken))) {
    await recordFailedOperatorAuth(c.env.DB, clientIp, now);
    throw new ApiError(401, "unauthorized", "a valid operator token is required: Authorization: Bearer <ADMIN_TOKEN>", {
      "WWW-Authenticate": 'Bearer realm="operator"',
    });
  }
  await next();
});
