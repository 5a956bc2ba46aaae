/**
 * D1 access to subscribers, their subscriptions and the event log, for a reader's own
 * changes (subscribe, confirm, unsubscribe, preferences) and the provider's events
 * (bounces, complaints); the operator's list and erase are in operator-store.ts, the CSV
 * import in import-store.ts. Rows are mapped to the Subscriber type here and nowhere else.
 * Emails passed in are already canonical (see email-address.ts). Multi-statement changes
 * run as one D1 batch (a transaction).
 */
import type { Receiving } from "../digests/repeats.ts";

export type SubscriberStatus = "pending" | "active" | "unsubscribed" | "suppressed";
export const subscriberStatuses = ["pending", "active", "unsubscribed", "suppressed"] as const;

export type SubscriberEventType =
  | "subscribed"
  | "confirmed"
  | "unsubscribed"
  | "bounced"
  | "complained"
  | "preferences"
  | "imported"
  | "erased";

export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  /** Digest ids, sorted. */
  digests: string[];
  consentAt: string | null;
  consentSource: string | null;
  createdAt: string;
  updatedAt: string;
  /** Moves on with every subscribe request that sends a confirmation; a confirmation link carries the one it was sent with. */
  confirmGeneration: number;
}

export interface SubscriberRow {
  id: number;
  email: string;
  status: SubscriberStatus;
  consent_at: string | null;
  consent_source: string | null;
  created_at: string;
  updated_at: string;
  confirm_generation: number;
  /** JSON array from json_group_array. */
  digests: string;
}

export function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    digests: JSON.parse(row.digests) as string[],
    consentAt: row.consent_at,
    consentSource: row.consent_source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmGeneration: row.confirm_generation,
  };
}

/** A subscriber row with its digests (a JSON array), as toSubscriber takes it. */
export const SELECT_SUBSCRIBER = `SELECT s.*, (
    SELECT json_group_array(digest_id) FROM (
      SELECT digest_id FROM subscriptions WHERE subscriber_id = s.id ORDER BY digest_id)
  ) AS digests
  FROM subscribers s`;

export async function getSubscriberByEmail(db: D1Database, email: string): Promise<Subscriber | null> {
  const row = await db.prepare(`${SELECT_SUBSCRIBER} WHERE s.email = ?`).bind(email).first<SubscriberRow>();
  return row ? toSubscriber(row) : null;
}

export async function getSubscriberById(db: D1Database, id: number): Promise<Subscriber | null> {
  const row = await db.prepare(`${SELECT_SUBSCRIBER} WHERE s.id = ?`).bind(id).first<SubscriberRow>();
  return row ? toSubscriber(row) : null;
}

/**
 * The digests each of these subscribers receives, since the later of choosing the digest
 * and confirming (a pending reader receives nothing), and the digests they left since
 * `leftSince` (by a digest's unsubscribe link or on the preferences page), until they left
 * (since when is not kept once left: counted as always). Keyed by subscriber id.
 */
/** "Since" of a digest left: before any edition. */
const LONG_AGO = new Date(0).toISOString();

export async function receivingSince(db: D1Database, subscriberIds: readonly number[], leftSince: Date): Promise<Map<number, Receiving[]>> {
  const { results } = await db
    .prepare(
      `WITH ids AS (SELECT value AS id FROM json_each(?1)),
       details AS (
         SELECT subscriber_id, type, created_at, CASE WHEN json_valid(detail) THEN detail ELSE '{}' END AS detail
         FROM subscriber_events
         WHERE subscriber_id IN (SELECT id FROM ids) AND type IN ('unsubscribed', 'preferences') AND created_at >= ?2)
       SELECT sub.subscriber_id, sub.digest_id, MAX(sub.created_at, COALESCE(s.consent_at, sub.created_at)) AS since, NULL AS until
       FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
       WHERE sub.subscriber_id IN (SELECT id FROM ids)
       UNION ALL
       SELECT subscriber_id, detail ->> '$.digest', ?3, created_at FROM details
       WHERE type = 'unsubscribed' AND detail ->> '$.digest' IS NOT NULL
       UNION ALL
       SELECT d.subscriber_id, left_digest.value, ?3, d.created_at FROM details d, json_each(d.detail, '$.left') AS left_digest
       WHERE d.type = 'preferences'`,
    )
    .bind(JSON.stringify(subscriberIds), leftSince.toISOString(), LONG_AGO)
    .all<{ subscriber_id: number; digest_id: string; since: string; until: string | null }>();
  const bySubscriber = new Map<number, Receiving[]>();
  for (const row of results) {
    const list = bySubscriber.get(row.subscriber_id) ?? [];
    list.push({ digestId: row.digest_id, since: row.since, until: row.until });
    bySubscriber.set(row.subscriber_id, list);
  }
  return bySubscriber;
}

/**
 * Replaces a subscriber's digests. The subscriber is looked up by email (so this works
 * in the batch that creates it) and, when `onlyIf` is given, only while in that status.
 */
function replaceSubscriptions(
  db: D1Database,
  email: string,
  digestIds: string[],
  now: Date,
  onlyIf?: SubscriberStatus,
): D1PreparedStatement[] {
  const subscriber = "(SELECT id FROM subscribers WHERE email = ?1 AND (?2 IS NULL OR status = ?2))";
  const insert = db.prepare(
    `INSERT INTO subscriptions (subscriber_id, digest_id, created_at) SELECT ${subscriber}, ?3, ?4 WHERE ${subscriber} IS NOT NULL
     ON CONFLICT DO NOTHING`,
  );
  const ids = [...new Set(digestIds)];
  // Digests kept keep their row, so "since when" stays true (src/digests/repeats.ts reads it).
  return [
    db
      .prepare(`DELETE FROM subscriptions WHERE subscriber_id = ${subscriber} AND digest_id NOT IN (SELECT value FROM json_each(?3))`)
      .bind(email, onlyIf ?? null, JSON.stringify(ids)),
    ...ids.map((digestId) => insert.bind(email, onlyIf ?? null, digestId, now.toISOString())),
  ];
}

function eventByEmail(db: D1Database, email: string, type: SubscriberEventType, detail: string | null, now: Date) {
  return db
    .prepare("INSERT INTO subscriber_events (subscriber_id, type, detail, created_at) SELECT id, ?, ?, ? FROM subscribers WHERE email = ?")
    .bind(type, detail, now.toISOString(), email);
}

export interface PendingRequest {
  email: string;
  digests: string[];
  /** Where the request came from ("web form", "api"); becomes the consent source on confirmation. */
  source: string;
}

/**
 * Creates a pending subscriber, or revives a pending/unsubscribed one with the new
 * choice of digests. Active and suppressed subscribers are left exactly as they are
 * (a suppressed address is never revived by a plain re-subscribe).
 * `needsConfirmation` says whether a confirmation email should go out.
 */
export async function upsertPending(
  db: D1Database,
  request: PendingRequest,
  now: Date,
): Promise<{ subscriber: Subscriber; needsConfirmation: boolean }> {
  const at = now.toISOString();
  const existing = await getSubscriberByEmail(db, request.email);
  if (existing && (existing.status === "active" || existing.status === "suppressed")) {
    return { subscriber: existing, needsConfirmation: false };
  }
  const write = existing
    ? db
        .prepare(
          `UPDATE subscribers SET status = 'pending', consent_source = ?, updated_at = ?, confirm_generation = confirm_generation + 1
           WHERE email = ? AND status IN ('pending', 'unsubscribed')`,
        )
        .bind(request.source, at, request.email)
    : db
        .prepare(
          `INSERT INTO subscribers (email, status, consent_source, created_at, updated_at, confirm_generation) VALUES (?, 'pending', ?, ?, ?, 1)
           ON CONFLICT (email) DO NOTHING`,
        )
        .bind(request.email, request.source, at, at);
  const [result] = await db.batch([
    write,
    ...replaceSubscriptions(db, request.email, request.digests, now, "pending"),
    eventByEmail(db, request.email, "subscribed", JSON.stringify({ digests: request.digests, source: request.source }), now),
  ]);
  const subscriber = await getSubscriberByEmail(db, request.email);
  if (!subscriber) throw new Error("subscriber vanished while being written");
  // A concurrent request may have won the insert or changed the status: report what is stored.
  return { subscriber, needsConfirmation: (result?.meta.changes ?? 0) > 0 && subscriber.status === "pending" };
}

/**
 * pending → active, recording consent, for the confirmation link of `generation` only.
 * Returns false when the subscriber was not pending or the link is not the current one.
 */
export async function activate(db: D1Database, id: number, generation: number, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const [update] = await db.batch([
    db
      .prepare(
        "UPDATE subscribers SET status = 'active', consent_at = ?, updated_at = ? WHERE id = ? AND status = 'pending' AND confirm_generation = ?",
      )
      .bind(at, at, id, generation),
    db
      .prepare("INSERT INTO subscriber_events (subscriber_id, type, created_at) SELECT ?, 'confirmed', ? WHERE changes() > 0")
      .bind(id, at),
  ]);
  return (update?.meta.changes ?? 0) > 0;
}

/** pending/active → unsubscribed. Returns the status before, or null when nothing changed. */
export async function unsubscribe(
  db: D1Database,
  id: number,
  how: string,
  now: Date,
): Promise<"pending" | "active" | null> {
  const at = now.toISOString();
  const before = await db
    .prepare("SELECT status FROM subscribers WHERE id = ? AND status IN ('pending', 'active')")
    .bind(id)
    .first<{ status: "pending" | "active" }>();
  if (!before) return null;
  const [update] = await db.batch([
    db
      .prepare("UPDATE subscribers SET status = 'unsubscribed', updated_at = ? WHERE id = ? AND status = ?")
      .bind(at, id, before.status),
    db
      .prepare(
        "INSERT INTO subscriber_events (subscriber_id, type, detail, created_at) SELECT ?, 'unsubscribed', ?, ? WHERE changes() > 0",
      )
      .bind(id, how, at),
  ]);
  return (update?.meta.changes ?? 0) > 0 ? before.status : null;
}

/**
 * Leaves one digest (a per-digest unsubscribe link). When it was the subscriber's last
 * digest, a pending or active subscriber becomes unsubscribed in the same transaction,
 * so two digests left at once still end unsubscribed. Returns whether the digest was
 * left and the status after, or null for an unknown subscriber.
 */
export async function unsubscribeFromDigest(
  db: D1Database,
  id: number,
  digestId: string,
  how: string,
  now: Date,
): Promise<{ left: boolean; status: SubscriberStatus } | null> {
  const at = now.toISOString();
  const [removed, , , after] = await db.batch([
    db.prepare("DELETE FROM subscriptions WHERE subscriber_id = ? AND digest_id = ?").bind(id, digestId),
    db
      .prepare(
        "INSERT INTO subscriber_events (subscriber_id, type, detail, created_at) SELECT ?, 'unsubscribed', ?, ? WHERE changes() > 0",
      )
      .bind(id, JSON.stringify({ digest: digestId, how }), at),
    db
      .prepare(
        `UPDATE subscribers SET status = 'unsubscribed', updated_at = ?2 WHERE id = ?1 AND status IN ('pending', 'active')
           AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = ?1)`,
      )
      .bind(id, at),
    db.prepare("SELECT status FROM subscribers WHERE id = ?").bind(id),
  ]);
  const status = (after?.results[0] as { status: SubscriberStatus } | undefined)?.status;
  return status ? { left: (removed?.meta.changes ?? 0) > 0, status } : null;
}

/**
 * Sets the digests a subscriber receives and returns the subscriber as stored. An unsubscribed reader who had confirmed
 * before comes back as active (the preferences link proves they own the mailbox);
 * suppressed subscribers are never changed.
 */
export async function setSubscriptions(
  db: D1Database,
  subscriber: Subscriber,
  digestIds: string[],
  now: Date,
): Promise<Subscriber> {
  if (subscriber.status === "suppressed") throw new Error("a suppressed subscriber's digests cannot be changed");
  const at = now.toISOString();
  const statements = [
    ...replaceSubscriptions(db, subscriber.email, digestIds, now),
    // `left` names the digests dropped, for src/digests/repeats.ts (they count until now).
    eventByEmail(
      db,
      subscriber.email,
      "preferences",
      JSON.stringify({ digests: digestIds, left: subscriber.digests.filter((id) => !digestIds.includes(id)) }),
      now,
    ),
  ];
  if (subscriber.status === "unsubscribed" && subscriber.consentAt) {
    statements.push(
      // Nothing was sent while unsubscribed: every digest counts as received from now on.
      db.prepare("UPDATE subscriptions SET created_at = ? WHERE subscriber_id = ?").bind(at, subscriber.id),
      db
        .prepare("UPDATE subscribers SET status = 'active', updated_at = ? WHERE id = ? AND status = 'unsubscribed'")
        .bind(at, subscriber.id),
    );
  }
  await db.batch(statements);
  const updated = await getSubscriberById(db, subscriber.id);
  if (!updated) throw new Error(`subscriber ${subscriber.id} vanished while its digests were set`);
  return updated;
}

/** One recipient of a provider event (a bounce or a complaint). */
export interface ProviderEvent {
  /** Canonical address. */
  email: string;
  type: "bounced" | "complained";
  detail: string | null;
  /** Provider event id: a second event with the same id changes nothing. */
  externalId: string;
  /** A permanent bounce or a complaint: the address is suppressed. */
  suppress: boolean;
}

export interface AppliedEvent {
  externalId: string;
  /** False for a replay (the id was recorded before). */
  fresh: boolean;
  /** The subscriber the address belonged to, if any. */
  subscriberId: number | null;
}

/**
 * Records provider events and suppresses their addresses where asked, every recipient in
 * one D1 batch (one round trip, one transaction). Once per provider event: an address is
 * suppressed only while its event is not yet recorded, so replaying an event changes
 * nothing, even if the reader has re-subscribed since. Unknown addresses are recorded
 * too (a replay of them is a duplicate as well).
 */
export async function applyProviderEvents(db: D1Database, events: ProviderEvent[], now: Date): Promise<AppliedEvent[]> {
  const at = now.toISOString();
  const rows = JSON.stringify(events);
  const [, inserted] = await db.batch<{ external_id: string; subscriber_id: number | null }>([
    db
      .prepare(
        `UPDATE subscribers SET status = 'suppressed', updated_at = ?2
         FROM json_each(?1) j
         WHERE subscribers.email = j.value ->> '$.email' AND j.value ->> '$.suppress'
           AND NOT EXISTS (SELECT 1 FROM subscriber_events WHERE external_id = j.value ->> '$.externalId')`,
      )
      .bind(rows, at),
    // `WHERE true` lets SQLite read ON CONFLICT as the upsert clause, not part of the SELECT.
    db
      .prepare(
        `INSERT INTO subscriber_events (subscriber_id, type, detail, external_id, created_at)
         SELECT (SELECT id FROM subscribers WHERE email = j.value ->> '$.email'), j.value ->> '$.type', j.value ->> '$.detail',
                j.value ->> '$.externalId', ?2
         FROM json_each(?1) j WHERE true
         ON CONFLICT (external_id) DO NOTHING
         RETURNING external_id, subscriber_id`,
      )
      .bind(rows, at),
  ]);
  const fresh = new Map((inserted?.results ?? []).map((row) => [row.external_id, row.subscriber_id]));
  return events.map((event) => ({
    externalId: event.externalId,
    fresh: fresh.has(event.externalId),
    subscriberId: fresh.get(event.externalId) ?? null,
  }));
}
