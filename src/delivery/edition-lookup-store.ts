/**
 * Edition queries the sender needs beyond src/digests/editions-store.ts: the
 * editions of one Beijing day (to name the next one), the edition of a cron firing,
 * and closing an edition once every recipient is settled.
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
