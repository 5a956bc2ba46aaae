/**
 * D1 access for the delivery side: a digest's recipients (active and subscribed to it),
 * read page by page for the fan-out and by id right before sending, and addresses by id
 * for reports. The ledger holds subscriber ids only; everything about a subscriber is
 * read here, from this folder's tables.
 */

/** Ids of the digest's recipients after `afterId`, ascending, at most `limit` (keyset over the subscriptions_digest index). */
export async function recipientIdsAfter(db: D1Database, digestId: string, afterId: number, limit: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `SELECT sub.subscriber_id AS id FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
       WHERE sub.digest_id = ? AND sub.subscriber_id > ? AND s.status = 'active'
       ORDER BY sub.subscriber_id LIMIT ?`,
    )
    .bind(digestId, afterId, limit)
    .all<{ id: number }>();
  return results.map((row) => row.id);
}

export interface Addressee {
  email: string;
  /** Still active and subscribed to the digest. */
  eligible: boolean;
}

/** The subscribers among `ids` that still exist, by id, with whether they still receive `digestId`. */
export async function addresseesOf(db: D1Database, ids: number[], digestId: string): Promise<Map<number, Addressee>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT s.id, s.email,
         s.status = 'active' AND EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = s.id AND digest_id = ?2) AS eligible
       FROM subscribers s WHERE s.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids), digestId)
    .all<{ id: number; email: string; eligible: number }>();
  return new Map(results.map((row) => [row.id, { email: row.email, eligible: row.eligible === 1 }]));
}

/** Addresses of the subscribers among `ids` that still exist, by id. */
export async function emailsOf(db: D1Database, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare("SELECT id, email FROM subscribers WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(ids))
    .all<{ id: number; email: string }>();
  return new Map(results.map((row) => [row.id, row.email]));
}
