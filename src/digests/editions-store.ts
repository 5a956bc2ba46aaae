/**
 * D1 access to digest editions, the one edition store: reading and opening editions,
 * and the sender's queries (the editions of one Beijing day, the edition of a cron
 * firing, editions by status, marking one sent). Rows are mapped to the Edition type
 * here and nowhere else; the delivery ledger's tables are src/delivery's.
 */
import type { EarlierEdition } from "./repeats.ts";

export interface Edition {
  id: string;
  digestId: string;
  scheduledFor: string | null;
  subject: string;
  itemSlugs: string[];
  trigger: "cron" | "manual";
  status: "sending" | "sent" | "stopped";
  error: string | null;
  createdAt: string;
  completedAt: string | null;
}

interface EditionRow {
  id: string;
  digest_id: string;
  scheduled_for: string | null;
  subject: string;
  item_slugs: string;
  trigger: Edition["trigger"];
  status: Edition["status"];
  error: string | null;
  created_at: string;
  completed_at: string | null;
}

function toEdition(row: EditionRow): Edition {
  return {
    id: row.id,
    digestId: row.digest_id,
    scheduledFor: row.scheduled_for,
    subject: row.subject,
    itemSlugs: JSON.parse(row.item_slugs) as string[],
    trigger: row.trigger,
    status: row.status,
    error: row.error,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export async function getEdition(db: D1Database, id: string): Promise<Edition | null> {
  const row = await db.prepare("SELECT * FROM editions WHERE id = ?").bind(id).first<EditionRow>();
  return row ? toEdition(row) : null;
}

/** Editions of a digest, newest first. */
export async function listEditions(db: D1Database, digestId: string): Promise<Edition[]> {
  const { results } = await db
    .prepare("SELECT * FROM editions WHERE digest_id = ? ORDER BY created_at DESC, id DESC")
    .bind(digestId)
    .all<EditionRow>();
  return results.map(toEdition);
}

/** The newest edition of each digest, keyed by digest id. */
export async function latestEditions(db: D1Database): Promise<Map<string, Edition>> {
  const { results } = await db
    .prepare(
      `SELECT * FROM editions e WHERE id = (
         SELECT id FROM editions WHERE digest_id = e.digest_id ORDER BY created_at DESC, id DESC LIMIT 1)`,
    )
    .all<EditionRow>();
  return new Map(results.map((row) => [row.digest_id, toEdition(row)]));
}

/**
 * Editions opened before `edition` (earlier, or at the same moment with a smaller id) and
 * not before `windowStart` that carry at least one of its items: what its readers may
 * already have had (see src/digests/repeats.ts). Only the shared items are returned.
 */
export async function earlierEditionsSharingItems(
  db: D1Database,
  edition: Pick<Edition, "id" | "createdAt" | "itemSlugs">,
  windowStart: Date,
): Promise<EarlierEdition[]> {
  if (edition.itemSlugs.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT e.digest_id, e.created_at, json_group_array(shared.value) AS shared
       FROM editions e, json_each(e.item_slugs) AS shared
       WHERE e.created_at >= ?1 AND (e.created_at < ?2 OR (e.created_at = ?2 AND e.id < ?3))
         AND shared.value IN (SELECT value FROM json_each(?4))
       GROUP BY e.id ORDER BY e.created_at, e.id`,
    )
    .bind(windowStart.toISOString(), edition.createdAt, edition.id, JSON.stringify(edition.itemSlugs))
    .all<{ digest_id: string; created_at: string; shared: string }>();
  return results.map((row) => ({ digestId: row.digest_id, openedAt: row.created_at, itemSlugs: JSON.parse(row.shared) as string[] }));
}

export interface NewEdition {
  id: string;
  digestId: string;
  scheduledFor: string | null;
  subject: string;
  itemSlugs: string[];
  trigger: Edition["trigger"];
}

/**
 * Writes an edition under an id of the caller's choosing (test fixtures);
 * triggers open editions with insertNextEditionOfDay. Returns null when the id or
 * the digest's scheduled time is taken.
 */
export async function insertEdition(db: D1Database, edition: NewEdition, now: Date): Promise<Edition | null> {
  const row = await db
    .prepare(
      `INSERT INTO editions (id, digest_id, scheduled_for, subject, item_slugs, trigger, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'sending', ?)
       ON CONFLICT DO NOTHING
       RETURNING *`,
    )
    .bind(
      edition.id,
      edition.digestId,
      edition.scheduledFor,
      edition.subject,
      JSON.stringify(edition.itemSlugs),
      edition.trigger,
      now.toISOString(),
    )
    .first<EditionRow>();
  return row ? toEdition(row) : null;
}

export interface NewEditionOfDay extends Omit<NewEdition, "id"> {
  /** The edition's Beijing day, YYYY-MM-DD. */
  date: string;
}

/**
 * Opens the next edition of a digest's day in one statement, so concurrent triggers
 * cannot race between looking and writing: the statement numbers the edition after
 * the day's newest (`<digest>-<date>` for the first, then `-2`, `-3`, …; the unique
 * index on digest, day and sequence backs it) and, with `onlyIfFirstOfDay`, writes
 * nothing when the day already has one. Returns null when nothing was written: the
 * day already had an edition, or the digest already has one for that scheduled time
 * (a cron the platform fired twice).
 */
export async function insertNextEditionOfDay(
  db: D1Database,
  edition: NewEditionOfDay,
  { onlyIfFirstOfDay }: { onlyIfFirstOfDay: boolean },
  now: Date,
): Promise<Edition | null> {
  const row = await db
    .prepare(
      `INSERT INTO editions (id, digest_id, edition_date, sequence, scheduled_for, subject, item_slugs, trigger, status, created_at)
       SELECT ?1 || '-' || ?2 || CASE WHEN day.next = 1 THEN '' ELSE '-' || day.next END,
              ?1, ?2, day.next, ?3, ?4, ?5, ?6, 'sending', ?7
       FROM (SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM editions WHERE digest_id = ?1 AND edition_date = ?2) AS day
       WHERE ?8 = 0 OR day.next = 1
       ON CONFLICT DO NOTHING
       RETURNING *`,
    )
    .bind(
      edition.digestId,
      edition.date,
      edition.scheduledFor,
      edition.subject,
      JSON.stringify(edition.itemSlugs),
      edition.trigger,
      now.toISOString(),
      onlyIfFirstOfDay ? 1 : 0,
    )
    .first<EditionRow>();
  return row ? toEdition(row) : null;
}

export async function setEditionStatus(
  db: D1Database,
  id: string,
  status: Edition["status"],
  now: Date,
  error: string | null = null,
): Promise<void> {
  await db
    .prepare("UPDATE editions SET status = ?, error = ?, completed_at = ? WHERE id = ?")
    .bind(status, error, status === "sending" ? null : now.toISOString(), id)
    .run();
}

/** The newest edition of one digest, or null before the first. */
export async function getLatestEdition(db: D1Database, digestId: string): Promise<Edition | null> {
  const row = await db
    .prepare("SELECT * FROM editions WHERE digest_id = ? ORDER BY created_at DESC, id DESC LIMIT 1")
    .bind(digestId)
    .first<EditionRow>();
  return row ? toEdition(row) : null;
}

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

/**
 * sending → sent, as the second statement of a D1 batch: only when the statement before
 * it changed a row (the delivery ledger's "every batch is settled", see
 * closeEditionIfDelivered in src/delivery/ledger-store.ts), so both are one transaction.
 */
export function markEditionSentIfPreviousChanged(db: D1Database, id: string, now: Date): D1PreparedStatement {
  return db
    .prepare("UPDATE editions SET status = 'sent', completed_at = ? WHERE id = ? AND status = 'sending' AND changes() > 0")
    .bind(now.toISOString(), id);
}

/**
 * → stopped with the reason, as the last statement of a D1 batch (stopForQuota in
 * src/delivery/ledger-store.ts): the stop is seen only together with the failures it caused.
 */
export function markEditionStopped(db: D1Database, id: string, reason: string, now: Date): D1PreparedStatement {
  return db.prepare("UPDATE editions SET status = 'stopped', error = ?, completed_at = ? WHERE id = ?").bind(reason, now.toISOString(), id);
}

/** Editions in one of `statuses`, with when each was opened. */
export async function editionsInStatus(db: D1Database, statuses: Edition["status"][]): Promise<{ id: string; status: Edition["status"]; createdAt: string }[]> {
  const { results } = await db
    .prepare("SELECT id, status, created_at FROM editions WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id")
    .bind(JSON.stringify(statuses))
    .all<{ id: string; status: Edition["status"]; created_at: string }>();
  return results.map((row) => ({ id: row.id, status: row.status, createdAt: row.created_at }));
}

/** The newest editions, of one digest or of all, newest first. */
export async function recentEditions(db: D1Database, limit: number, digestId: string | null = null): Promise<Edition[]> {
  const { results } = await db
    .prepare("SELECT * FROM editions WHERE (?2 IS NULL OR digest_id = ?2) ORDER BY created_at DESC, id DESC LIMIT ?1")
    .bind(limit, digestId)
    .all<EditionRow>();
  return results.map(toEdition);
}
