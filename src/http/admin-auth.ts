/** Bearer ADMIN_TOKEN check for the operator API, compared in constant time. */
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
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const expected = c.var.config.adminToken;
  if (!match?.[1] || !(await constantTimeEqual(match[1], expected))) {
    throw new ApiError(401, "unauthorized", "a valid operator token is required: Authorization: Bearer <ADMIN_TOKEN>", {
      "WWW-Authenticate": 'Bearer realm="operator"',
    });
  }
  await next();
});
