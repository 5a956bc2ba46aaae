/**
 * Failed operator sign-ins, counted per client (IPv4 address or IPv6 /64) across the
 * operator API (src/http/admin-auth.ts) and the console (src/admin/console-auth.ts)
 * together, in the rate_limits counters this folder owns.
 */
import { clientNetwork, hitRateLimit, peekRateLimit, type RateCheck, type RateRule } from "./rate-limit.ts";

/**
 * Failed operator sign-ins (a wrong Bearer token, a wrong console token) allowed per
 * client per window; beyond it every attempt, the right token included, gets 429 until
 * the window ends. At most 960 guesses a day per client: nothing against a 32-byte token.
 */
export const FAILED_AUTH_LIMIT = { limit: 10, windowSeconds: 15 * 60 };

const failureRule = (clientIp: string): RateRule => ({ key: `operator-auth-failures:${clientNetwork(clientIp)}`, ...FAILED_AUTH_LIMIT });

/** Whether this client may try the operator token now (429 with the check's Retry-After when not). */
export function operatorAuthAllowed(db: D1Database, clientIp: string, now: Date): Promise<RateCheck> {
  return peekRateLimit(db, failureRule(clientIp), now);
}

/** Counts one failed attempt against the client. */
export async function recordFailedOperatorAuth(db: D1Database, clientIp: string, now: Date): Promise<void> {
  await hitRateLimit(db, failureRule(clientIp), now);
}
