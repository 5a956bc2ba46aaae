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
