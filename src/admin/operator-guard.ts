/**
 * What stands between a guesser and the operator token, for the API and the console
 * alike: failed attempts are counted per client (IPv4 address or IPv6 /64) across both,
 * the token is compared in constant time, and in production weak secrets shut the
 * operator routes rather than let them be guessed.
 */
import { DEV_ADMIN_TOKEN, DEV_SIGNING_SECRET, type Config } from "../config.ts";
import { clientNetwork, hitRateLimit, peekRateLimit, type RateCheck, type RateRule } from "../subscribers/rate-limit.ts";

/**
 * Failed operator sign-ins (a wrong Bearer token, a wrong console token) allowed per
 * client per window; beyond it every attempt, the right token included, gets 429 until
 * the window ends. At most 960 guesses a day per client: nothing against a 32-byte token.
 */
export const FAILED_AUTH_LIMIT = { limit: 10, windowSeconds: 15 * 60 };

/** The shortest ADMIN_TOKEN and SIGNING_SECRET production accepts (256 bits). */
export const MIN_SECRET_BYTES = 32;

const failureRule = (clientIp: string): RateRule => ({ key: `operator-auth-failures:${clientNetwork(clientIp)}`, ...FAILED_AUTH_LIMIT });

/** Whether this client may try the operator token now (429 with the check's Retry-After when not). */
export function operatorAuthAllowed(db: D1Database, clientIp: string, now: Date): Promise<RateCheck> {
  return peekRateLimit(db, failureRule(clientIp), now);
}

/** Counts one failed attempt against the client. */
export async function recordFailedOperatorAuth(db: D1Database, clientIp: string, now: Date): Promise<void> {
  await hitRateLimit(db, failureRule(clientIp), now);
}

const encoder = new TextEncoder();

/** Constant-time equality: compare fixed-length SHA-256 digests, so neither length nor content leaks. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/**
 * In production, why the operator routes cannot be served (naming the setting), or null
 * when ADMIN_TOKEN and SIGNING_SECRET are both long enough and neither is a development
 * default. Reader routes do not ask: a weak secret must not take the site down.
 */
export function weakOperatorSecret(config: Config): string | null {
  if (config.environment === "development") return null;
  const defaults = [DEV_ADMIN_TOKEN, DEV_SIGNING_SECRET];
  const settings = [
    ["ADMIN_TOKEN", config.adminToken],
    ["SIGNING_SECRET", config.signingSecret],
  ] as const;
  for (const [name, value] of settings) {
    const weakness = defaults.includes(value)
      ? "is a development default"
      : encoder.encode(value).byteLength < MIN_SECRET_BYTES
        ? `is shorter than ${MIN_SECRET_BYTES} bytes`
        : null;
    if (weakness) {
      return `${name} ${weakness}: operator routes stay closed in production until it is a random secret of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48 | wrangler secret put ${name}\`)`;
    }
  }
  return null;
}

/** The log line of a refused operator request, saying what weakOperatorSecret says. */
export function logWeakOperatorSecret(method: string, path: string, problem: string): void {
  console.error(JSON.stringify({ event: "operator_route_closed", level: "error", method, path, reason: problem }));
}
