/**
 * Bearer ADMIN_TOKEN check for the operator API: closed (503) in production while a secret
 * is weak, 429 once the client has failed too often (counted with the console's sign-in
 * failures), compared in constant time.
 */
import {
  constantTimeEqual,
  logWeakOperatorSecret,
  operatorAuthAllowed,
  recordFailedOperatorAuth,
  weakOperatorSecret,
} from "../admin/operator-guard.ts";
import { factory } from "./app-env.ts";
import { ApiError } from "./api-error.ts";

export const requireAdmin = factory.createMiddleware(async (c, next) => {
  const config = c.var.config;
  const weak = weakOperatorSecret(config);
  if (weak) {
    logWeakOperatorSecret(c.req.method, c.req.path, weak);
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
