/**
 * Edition queries the sender needs beyond src/digests/editions-store.ts: the
 * editions of one Beijing day (to name the next one), the edition of a cron firing,
 * editions whose delivery stalled, and closing an edition once every recipient is
 * settled.
 */

/** Ids of a digest's editions of one Beijing day, newest first, with their sequence (1 for `<digest>-<date>`, then 2, 3, …). */
export async function editionsOfDay(db: D1Database, digestId: string, date: string): Promise<{ id: string; sequence: number }[]> {
  const { results } = await db
    .prepare("SELECT id, sequence FROM editions WHERE digest_id = ? AND edition_date = ? ORDER BY sequence DESC")
    .bind(digestId, date)
    .all<{ id: string; sequence: number }>();
  return results;
}

export async function editionIdForSchedule(db: D1Database, digestId: string, scheduledFor: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT id FROM editions WHERE digest_id = ? AND scheduled_for = ?")
    .bind(digestId, scheduledFor)
    .first<{ id: string }>();
  return row?.id ?? null;
}

/** sending → sent once the fan-out is complete and no ledger row waits; a stopped edition stays stopped. */
export async function closeEditionIfDelivered(db: D1Database, editionId: string, now: Date): Promise<void> {
  await db
    .prepare(
      `UPDATE editions SET status = 'sent', completed_at = ?2
       WHERE id = ?1 AND status = 'sending'
         AND EXISTS (SELECT 1 FROM delivery_runs WHERE edition_id = ?1 AND fanout_completed_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM deliveries WHERE edition_id = ?1 AND status IN ('queued', 'sending'))`,
    )
    .bind(editionId, now.toISOString())
    .run();
}

/**
 * Editions whose delivery is unfinished (still sending, fan-out incomplete, or ledger
 * rows queued or sending) and whose ledger has not changed since `quietSince`: the
 * edition's creation or its latest ledger write, whichever is later, is older.
 */
export async function stalledEditionIds(db: D1Database, quietSince: Date): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM (
         SELECT e.id, MAX(e.created_at, COALESCE((SELECT MAX(updated_at) FROM deliveries WHERE edition_id = e.id), '')) AS last_change
         FROM editions e LEFT JOIN delivery_runs r ON r.edition_id = e.id
         WHERE e.status = 'sending'
            OR (e.status = 'stopped' AND r.fanout_completed_at IS NULL)
            OR e.id IN (SELECT edition_id FROM deliveries WHERE status IN ('queued', 'sending')))
       WHERE last_change < ? ORDER BY id`,
    )
    .bind(quietSince.toISOString())
    .all<{ id: string }>();
  return results.map((row) => row.id);
}
