/**
 * D1 access to the delivery ledger (one row per edition and subscriber) and the
 * per-edition delivery run. Rows are mapped to domain types here and nowhere else.
 */

/** Recipients per provider batch: the most Resend's POST /emails/batch accepts. */
export const BATCH_SIZE = 100;
/** Batches the fan-out writes and enqueues per step (one queue sendBatch holds ≤ 100 messages). */
export const BATCHES_PER_PAGE = 50;
/** Retry rounds number their batches from here (see migrations/0004_deliveries.sql). */
const RETRY_BATCH_BASE = 1_000_000;

export type DeliveryStatus = "queued" | "sending" | "sent" | "failed" | "skipped";

/** A ledger row still to be sent, with what the consumer needs to decide and address it. */
export interface PendingDelivery {
  subscriberId: number;
  email: string;
  status: "queued" | "sending";
  /** Still active and subscribed to the edition's digest. */
  eligible: boolean;
}

export interface DeliveryOutcome {
  subscriberId: number;
  status: "sent" | "failed";
  providerId?: string;
  error?: string;
}

export interface DeliveryRun {
  editionId: string;
  siteUrl: string;
  fanoutCompleted: boolean;
  retryRounds: number;
}

export interface DeliveryCounts {
  queued: number;
  sent: number;
  failed: number;
  skipped: number;
}

export interface DeliveryFailure {
  email: string;
  reason: string;
}

/** The recipients of a digest: active (so neither unsubscribed nor suppressed) and subscribed to it. */
const RECIPIENTS = `
  SELECT s.id FROM subscribers s JOIN subscriptions sub ON sub.subscriber_id = s.id
  WHERE sub.digest_id = ?1 AND s.status = 'active'`;

export async function countRecipients(db: D1Database, digestId: string): Promise<number> {
  const row = await db.prepare(`SELECT COUNT(*) AS n FROM (${RECIPIENTS})`).bind(digestId).first<{ n: number }>();
  return row?.n ?? 0;
}

export async function insertDeliveryRun(db: D1Database, editionId: string, siteUrl: string): Promise<void> {
  await db
    .prepare("INSERT INTO delivery_runs (edition_id, site_url) VALUES (?, ?) ON CONFLICT DO NOTHING")
    .bind(editionId, siteUrl)
    .run();
}

export async function getDeliveryRun(db: D1Database, editionId: string): Promise<DeliveryRun | null> {
  const row = await db
    .prepare("SELECT * FROM delivery_runs WHERE edition_id = ?")
    .bind(editionId)
    .first<{ edition_id: string; site_url: string; fanout_completed_at: string | null; retry_rounds: number }>();
  return row
    ? {
        editionId: row.edition_id,
        siteUrl: row.site_url,
        fanoutCompleted: row.fanout_completed_at !== null,
        retryRounds: row.retry_rounds,
      }
    : null;
}

export interface FanOutPage {
  /** Batches written by this page, ascending. */
  batches: number[];
  recipients: number;
  /** Highest subscriber id in the page: the next page starts after it. */
  lastSubscriberId: number;
}

/**
 * Writes page `page` of an edition's recipients (ids after `afterSubscriberId`) as
 * ledger rows in batches of BATCH_SIZE, and reports what the page holds. Idempotent:
 * when the page's batch range already has rows (a redelivered fan-out message) it
 * writes nothing and reports the rows written the first time, so the page is the
 * same whatever changed among subscribers since.
 */
export async function writeFanOutPage(
  db: D1Database,
  edition: { id: string; digestId: string },
  page: number,
  afterSubscriberId: number,
  status: "queued" | "failed",
  error: string | null,
  now: Date,
  batchesPerPage = BATCHES_PER_PAGE,
): Promise<FanOutPage> {
  const firstBatch = page * batchesPerPage;
  const lastBatch = firstBatch + batchesPerPage - 1;
  const pageSize = BATCH_SIZE * batchesPerPage;
  const [, summary] = await db.batch<{ batch: number; n: number; last: number }>([
    db
      .prepare(
        `INSERT INTO deliveries (edition_id, subscriber_id, batch, status, error, updated_at)
         SELECT ?2, id, ?3 + (ROW_NUMBER() OVER (ORDER BY id) - 1) / ${BATCH_SIZE}, ?4, ?5, ?6
         FROM (${RECIPIENTS} AND s.id > ?7 ORDER BY s.id LIMIT ${pageSize})
         WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE edition_id = ?2 AND batch BETWEEN ?3 AND ?8)
         ON CONFLICT DO NOTHING`,
      )
      .bind(edition.digestId, edition.id, firstBatch, status, error, now.toISOString(), afterSubscriberId, lastBatch),
    db
      .prepare(
        `SELECT batch, COUNT(*) AS n, MAX(subscriber_id) AS last FROM deliveries
         WHERE edition_id = ? AND batch BETWEEN ? AND ? GROUP BY batch ORDER BY batch`,
      )
      .bind(edition.id, firstBatch, lastBatch),
  ]);
  const rows = summary?.results ?? [];
  return {
    batches: rows.map((row) => row.batch),
    recipients: rows.reduce((sum, row) => sum + row.n, 0),
    lastSubscriberId: rows.reduce((max, row) => Math.max(max, row.last), afterSubscriberId),
  };
}

export async function completeFanOut(db: D1Database, editionId: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE delivery_runs SET fanout_completed_at = ? WHERE edition_id = ? AND fanout_completed_at IS NULL")
    .bind(now.toISOString(), editionId)
    .run();
}

/** The batch's rows not yet sent, failed or skipped. */
export async function pendingDeliveries(db: D1Database, edition: { id: string; digestId: string }, batch: number): Promise<PendingDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT d.subscriber_id, d.status, s.email,
         s.status = 'active' AND EXISTS (
           SELECT 1 FROM subscriptions WHERE subscriber_id = d.subscriber_id AND digest_id = ?3) AS eligible
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.edition_id = ?1 AND d.batch = ?2 AND d.status IN ('queued', 'sending')
       ORDER BY d.subscriber_id`,
    )
    .bind(edition.id, batch, edition.digestId)
    .all<{ subscriber_id: number; status: "queued" | "sending"; email: string; eligible: number }>();
  return results.map((row) => ({
    subscriberId: row.subscriber_id,
    email: row.email,
    status: row.status,
    eligible: row.eligible === 1,
  }));
}

function moveRows(db: D1Database, editionId: string, ids: number[], from: DeliveryStatus, to: DeliveryStatus, now: Date) {
  return db
    .prepare(
      `UPDATE deliveries SET status = ?, updated_at = ?
       WHERE edition_id = ? AND status = ? AND subscriber_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(to, now.toISOString(), editionId, from, JSON.stringify(ids));
}

/**
 * Right before a batch goes to the provider: rows no longer eligible become skipped,
 * the rest become sending, which freezes the batch's payload for any retry.
 */
export async function claimForSending(db: D1Database, editionId: string, skip: number[], send: number[], now: Date): Promise<void> {
  await db.batch([moveRows(db, editionId, skip, "queued", "skipped", now), moveRows(db, editionId, send, "queued", "sending", now)]);
}

/** Records what the provider said; only rows still `sending` change. */
export async function recordOutcomes(db: D1Database, editionId: string, outcomes: DeliveryOutcome[], now: Date): Promise<void> {
  if (outcomes.length === 0) return;
  await db
    .prepare(
      `UPDATE deliveries SET status = j.value ->> '$.status', provider_id = j.value ->> '$.providerId',
         error = j.value ->> '$.error', updated_at = ?1
       FROM json_each(?3) AS j
       WHERE deliveries.edition_id = ?2 AND deliveries.subscriber_id = j.value ->> '$.subscriberId'
         AND deliveries.status = 'sending'`,
    )
    .bind(now.toISOString(), editionId, JSON.stringify(outcomes))
    .run();
}

/** Quota stop: every row not yet handed to the provider fails with the reason (retry-failed resumes them). */
export async function failQueued(db: D1Database, editionId: string, reason: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE deliveries SET status = 'failed', error = ?, updated_at = ? WHERE edition_id = ? AND status = 'queued'")
    .bind(reason, now.toISOString(), editionId)
    .run();
}

/**
 * Rows handed to the provider before `claimedBefore` and never settled: failed with
 * the reason (an operator decides, retry-failed re-sends them). Returns how many.
 */
export async function failSendingClaimedBefore(
  db: D1Database,
  editionId: string,
  claimedBefore: Date,
  reason: string,
  now: Date,
): Promise<number> {
  const result = await db
    .prepare("UPDATE deliveries SET status = 'failed', error = ?, updated_at = ? WHERE edition_id = ? AND status = 'sending' AND updated_at < ?")
    .bind(reason, now.toISOString(), editionId, claimedBefore.toISOString())
    .run();
  return result.meta.changes;
}

/** The edition's batches that still have rows queued or sending, ascending, and how many rows. */
export async function unsettledBatches(db: D1Database, editionId: string): Promise<{ batches: number[]; recipients: number }> {
  const { results } = await db
    .prepare(
      `SELECT batch, COUNT(*) AS n FROM deliveries
       WHERE edition_id = ? AND status IN ('queued', 'sending') GROUP BY batch ORDER BY batch`,
    )
    .bind(editionId)
    .all<{ batch: number; n: number }>();
  return { batches: results.map((row) => row.batch), recipients: results.reduce((sum, row) => sum + row.n, 0) };
}

export async function deliveryCounts(db: D1Database, editionId: string): Promise<DeliveryCounts> {
  const { results } = await db
    .prepare("SELECT status, COUNT(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status")
    .bind(editionId)
    .all<{ status: DeliveryStatus; n: number }>();
  const counts: DeliveryCounts = { queued: 0, sent: 0, failed: 0, skipped: 0 };
  // "sending" is not a state an operator acts on: it is still queued until the provider answers.
  for (const { status, n } of results) counts[status === "sending" ? "queued" : status] += n;
  return counts;
}

export async function deliveryFailures(db: D1Database, editionId: string, limit: number): Promise<DeliveryFailure[]> {
  const { results } = await db
    .prepare(
      `SELECT s.email, d.error FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.edition_id = ? AND d.status = 'failed' ORDER BY d.subscriber_id LIMIT ?`,
    )
    .bind(editionId, limit)
    .all<{ email: string; error: string | null }>();
  return results.map((row) => ({ email: row.email, reason: row.error ?? "unknown" }));
}

/**
 * Opens a retry round: the edition's failed rows go back to queued in fresh batches
 * (so fresh idempotency keys: the failed sends were never accepted). Returns the batches.
 */
export async function requeueFailed(db: D1Database, editionId: string, now: Date): Promise<{ batches: number[]; recipients: number }> {
  const round = await db
    .prepare("UPDATE delivery_runs SET retry_rounds = retry_rounds + 1 WHERE edition_id = ? RETURNING retry_rounds")
    .bind(editionId)
    .first<{ retry_rounds: number }>();
  if (!round) return { batches: [], recipients: 0 };
  const { results } = await db
    .prepare(
      `UPDATE deliveries SET status = 'queued', error = NULL, updated_at = ?1, batch = ?2 + (f.n - 1) / ${BATCH_SIZE}
       FROM (SELECT subscriber_id AS sid, ROW_NUMBER() OVER (ORDER BY subscriber_id) AS n
             FROM deliveries WHERE edition_id = ?3 AND status = 'failed') AS f
       WHERE deliveries.edition_id = ?3 AND deliveries.subscriber_id = f.sid
       RETURNING batch`,
    )
    .bind(now.toISOString(), RETRY_BATCH_BASE * round.retry_rounds, editionId)
    .all<{ batch: number }>();
  return { batches: [...new Set(results.map((row) => row.batch))].sort((a, b) => a - b), recipients: results.length };
}
