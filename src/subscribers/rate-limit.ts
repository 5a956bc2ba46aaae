/**
 * Fixed-window request counters in D1 (migrations/0003). One upsert per check, so
 * counting is atomic across isolates; a D1 counter (rather than the Workers
 * rate-limiting binding, which is per-colo and eventually consistent) also gives the
 * exact Retry-After and runs unchanged in tests and `wrangler dev`.
 */

export interface RateRule {
  /** What is counted, e.g. "ip:203.0.113.9". Never a plain email address. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export type RateCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counters older than this are deleted on the way (longer than any window in use). */
const KEEP_SECONDS = 24 * 60 * 60;

/** Counts one request against the rule and says whether it is within the limit. */
export async function hitRateLimit(db: D1Database, rule: RateRule, now: Date): Promise<RateCheck> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % rule.windowSeconds);
  const [counted] = await db.batch([
    db
      .prepare(
        `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN window_start = ?2 THEN count + 1 ELSE 1 END,
           window_start = ?2
         RETURNING count`,
      )
      .bind(rule.key, windowStart),
    db.prepare("DELETE FROM rate_limits WHERE window_start < ?").bind(nowSeconds - KEEP_SECONDS),
  ]);
  const count = (counted?.results[0] as { count: number } | undefined)?.count ?? 1;
  if (count <= rule.limit) return { ok: true };
  return { ok: false, retryAfterSeconds: windowStart + rule.windowSeconds - nowSeconds };
}

/**
 * Where a client is counted from, given `CF-Connecting-IP`: an IPv4 address as it is; an
 * IPv6 address by its /64 network (one subscriber line or host gets a whole /64, so each
 * address in it is the same client); an IPv4-mapped IPv6 address as its IPv4 address.
 * Anything unparsable is counted as the text it is.
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().toLowerCase();
  if (!address.includes(":")) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  const hextets = expandIpv6(address);
  return hextets ? `${hextets.slice(0, 4).join(":")}::/64` : address;
}

/** The eight hextets of an IPv6 address (no leading zeros), or null when it is not one. */
function expandIpv6(address: string): string[] | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string | undefined) => (half ? half.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => parseInt(group, 16).toString(16));
}

/** Whether the rule's limit is already reached, without counting this request. */
export async function peekRateLimit(db: D1Database, rule: RateRule, now: Date): Promise<RateCheck> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % rule.windowSeconds);
  const row = await db
    .prepare("SELECT count FROM rate_limits WHERE key = ? AND window_start = ?")
    .bind(rule.key, windowStart)
    .first<{ count: number }>();
  if ((row?.count ?? 0) < rule.limit) return { ok: true };
  return { ok: false, retryAfterSeconds: windowStart + rule.windowSeconds - nowSeconds };
}
