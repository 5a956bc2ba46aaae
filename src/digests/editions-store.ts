/** D1 access to digest editions. Rows are mapped to the Edition type here and nowhere else. */

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

export interface NewEdition {
  id: string;
  digestId: string;
  scheduledFor: string | null;
  subject: string;
  itemSlugs: string[];
  trigger: Edition["trigger"];
}

/**
 * Opens an edition. Returns null when the digest already has an edition for that
 * scheduled time (a cron the platform fired twice), so the caller sends nothing.
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
