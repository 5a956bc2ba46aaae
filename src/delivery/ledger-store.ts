/**
 * D1 access to the delivery ledger: one row per provider batch (≤ 100 recipients, their
 * subscriber ids a JSON array), per-recipient failures inside accepted batches, and the
 * per-edition delivery run with its counters. Every failure, of a batch or of one
 * recipient, carries its kind (src/email/failure-kind.ts, migration 0014): only temporary
 * ones are retried. Rows are mapped to domain types here and nowhere else (see
 * migrations/0008_compact_ledger_and_counters.sql).
 *
 * Every change of a batch's state and the run's counters it moves happen in one D1 batch
 * (a transaction): the counter statements come first, guarded by the same "batch still in
 * state X" condition as the state change after them, so a redelivered or concurrent call
 * changes neither.
 */
import { markEditionSentIfPreviousChanged, markEditionStopped } from "../digests/editions-store.ts";
import type { FailureKind } from "../email/failure-kind.ts";
import { addresseesOf } from "../subscribers/audience-store.ts";

/** Recipients per provider batch: the most Resend's POST /emails/batch accepts. */
export const BATCH_SIZE = 100;
/** Batches the fan-out writes and enqueues per page (one queue sendBatch holds ≤ 100 messages). */
export const BATCHES_PER_PAGE = 50;
/** Retry rounds number their batches from here. */
const RETRY_BATCH_BASE = 1_000_000;

export type DeliveryStatus = "queued" | "sending" | "sent" | "failed" | "skipped";
type BatchState = "queued" | "sending" | "sent" | "failed" | "retried";

/** A recipient of a batch still to be sent, with what the consumer needs to decide and address it. */
export interface PendingDelivery {
  subscriberId: number;
  email: string;
  status: "queued" | "sending";
  /** Still active and subscribed to the edition's digest. */
  eligible: boolean;
}

export type DeliveryOutcome =
  | { subscriberId: number; status: "sent"; providerId?: string }
  /** `failure`: whether retry-failed may send it again (src/email/failure-kind.ts). */
  | { subscriberId: number; status: "failed"; error: string; failure: FailureKind };

export interface DeliveryRun {
  editionId: string;
  siteUrl: string;
  fanoutCompleted: boolean;
  retryRounds: number;
  openedAt: string;
}

export interface DeliveryCounts {
  queued: number;
  sent: number;
  failed: number;
  skipped: number;
}

export interface LedgerFailure {
  subscriberId: number;
  reason: string;
  kind: FailureKind;
}

/** An edition's failed recipients per kind; `failed` of DeliveryCounts is their sum. */
export type FailureCounts = Record<FailureKind, number>;

/** What the run's counters hold beyond the delivery states. */
export interface RunCounts extends DeliveryCounts {
  failedByKind: FailureCounts;
  /** Permanent bounces and complaints attributed to the edition (see attributeEvents). */
  bounced: number;
  complained: number;
}

interface RunRow {
  edition_id: string;
  site_url: string;
  fanout_completed_at: string | null;
  retry_rounds: number;
  opened_at: string | null;
}

const json = (value: unknown) => JSON.stringify(value);

export async function insertDeliveryRun(db: D1Database, editionId: string, siteUrl: string, now: Date): Promise<void> {
  await db
    .prepare("INSERT INTO delivery_runs (edition_id, site_url, opened_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
    .bind(editionId, siteUrl, now.toISOString())
    .run();
}

export async function getDeliveryRun(db: D1Database, editionId: string): Promise<DeliveryRun | null> {
  const row = await db
    .prepare("SELECT edition_id, site_url, fanout_completed_at, retry_rounds, opened_at FROM delivery_runs WHERE edition_id = ?")
    .bind(editionId)
    .first<RunRow>();
  return row
    ? {
        editionId: row.edition_id,
        siteUrl: row.site_url,
        fanoutCompleted: row.fanout_completed_at !== null,
        retryRounds: row.retry_rounds,
        openedAt: row.opened_at ?? "",
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
 * Writes page `page` of an edition's recipients (ascending ids, at most BATCH_SIZE × batchesPerPage) as
 * batches of BATCH_SIZE, and reports what the page holds. Idempotent: when the page's
 * batch range already has rows (a redelivered fan-out message) it writes nothing and
 * reports what was written the first time, so the page is the same whatever changed
 * among subscribers since. A stopped edition's batches are written failed, with its reason.
 */
export async function writeFanOutPage(
  db: D1Database,
  editionId: string,
  page: number,
  recipientIds: number[],
  failedWith: string | null,
  now: Date,
  batchesPerPage = BATCHES_PER_PAGE,
): Promise<FanOutPage> {
  const firstBatch = page * batchesPerPage;
  const lastBatch = firstBatch + batchesPerPage - 1;
  const batches: number[][] = [];
  for (let i = 0; i < recipientIds.length; i += BATCH_SIZE) batches.push(recipientIds.slice(i, i + BATCH_SIZE));
  const unwritten = "NOT EXISTS (SELECT 1 FROM delivery_batches WHERE edition_id = ?1 AND batch BETWEEN ?2 AND ?3)";
  const n = recipientIds.length;
  const statements = [
    // Counters first, while the range is still empty: the same condition guards the insert.
    db
      .prepare(
        `UPDATE delivery_runs SET queued = queued + ?4, failed = failed + ?5, unsettled_batches = unsettled_batches + ?6
         WHERE edition_id = ?1 AND ${unwritten}`,
      )
      .bind(editionId, firstBatch, lastBatch, failedWith ? 0 : n, failedWith ? n : 0, failedWith ? 0 : batches.length),
    db
      .prepare(
        `INSERT INTO delivery_batches (edition_id, batch, state, recipients, size, planned, first_id, last_id, error, failure_kind, updated_at)
         SELECT ?1, ?2 + j.key, ?5, j.value, json_array_length(j.value), json_array_length(j.value),
                j.value ->> '$[0]', j.value ->> '$[#-1]', ?6, CASE WHEN ?6 IS NULL THEN NULL ELSE 'temporary' END, ?7
         FROM json_each(?4) j WHERE ${unwritten}`,
      )
      .bind(editionId, firstBatch, lastBatch, json(batches), failedWith ? "failed" : "queued", failedWith, now.toISOString()),
    db
      .prepare("SELECT batch, planned, last_id FROM delivery_batches WHERE edition_id = ? AND batch BETWEEN ? AND ? ORDER BY batch")
      .bind(editionId, firstBatch, lastBatch),
  ];
  const results = await db.batch<{ batch: number; planned: number; last_id: number }>(statements);
  const rows = results[2]?.results ?? [];
  return {
    batches: rows.map((row) => row.batch),
    recipients: rows.reduce((sum, row) => sum + row.planned, 0),
    lastSubscriberId: rows.reduce((max, row) => Math.max(max, row.last_id), 0),
  };
}

export async function completeFanOut(db: D1Database, editionId: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE delivery_runs SET fanout_completed_at = ? WHERE edition_id = ? AND fanout_completed_at IS NULL")
    .bind(now.toISOString(), editionId)
    .run();
}

/**
 * The batch's recipients not yet sent, failed or skipped, ascending, with their address
 * and eligibility (read from src/subscribers). A subscriber erased since the fan-out is
 * ineligible while queued, and left out of a frozen (`sending`) batch: it has no address.
 */
export async function pendingDeliveries(db: D1Database, edition: { id: string; digestId: string }, batch: number): Promise<PendingDelivery[]> {
  const row = await db
    .prepare("SELECT state, recipients FROM delivery_batches WHERE edition_id = ? AND batch = ?")
    .bind(edition.id, batch)
    .first<{ state: BatchState; recipients: string }>();
  if (!row || (row.state !== "queued" && row.state !== "sending")) return [];
  const status = row.state;
  const ids = JSON.parse(row.recipients) as number[];
  const addressees = await addresseesOf(db, ids, edition.digestId);
  return ids.flatMap((subscriberId) => {
    const addressee = addressees.get(subscriberId);
    if (!addressee) return status === "queued" ? [{ subscriberId, email: "", status, eligible: false }] : [];
    return [{ subscriberId, email: addressee.email, status, eligible: addressee.eligible }];
  });
}

/**
 * Right before a batch goes to the provider: recipients no longer eligible are counted
 * skipped and left out, the rest are frozen as the batch's payload (`sending`), which
 * any retry resends unchanged. A batch with nobody left to send is settled at once.
 */
export async function claimForSending(
  db: D1Database,
  editionId: string,
  batch: number,
  skip: number[],
  send: number[],
  now: Date,
): Promise<void> {
  if (skip.length === 0 && send.length === 0) return;
  const queuedBatch = "EXISTS (SELECT 1 FROM delivery_batches WHERE edition_id = ?1 AND batch = ?2 AND state = 'queued')";
  const empty = send.length === 0;
  const statements: D1PreparedStatement[] = [];
  if (skip.length > 0 || empty) {
    statements.push(
      db
        .prepare(
          `UPDATE delivery_runs SET queued = queued - ?3, skipped = skipped + ?3, unsettled_batches = unsettled_batches - ?4
           WHERE edition_id = ?1 AND ${queuedBatch}`,
        )
        .bind(editionId, batch, skip.length, empty ? 1 : 0),
    );
  }
  statements.push(
    db
      .prepare(
        `UPDATE delivery_batches SET state = ?3, recipients = ?4, size = ?5, skipped = skipped + ?6, updated_at = ?7
         WHERE edition_id = ?1 AND batch = ?2 AND state = 'queued'`,
      )
      .bind(editionId, batch, empty ? "sent" : "sending", json(send), send.length, skip.length, now.toISOString()),
  );
  await db.batch(statements);
}

/**
 * Records what the provider said about a `sending` batch: the recipients it accepted
 * become the batch's recipients (`sent`), those it refused one by one go to the failures
 * table; a batch nobody in it was sent becomes `failed` with the reason. Nothing changes
 * unless the batch is still `sending`.
 */
export async function recordOutcomes(db: D1Database, editionId: string, batch: number, outcomes: DeliveryOutcome[], now: Date): Promise<void> {
  if (outcomes.length === 0) return;
  const at = now.toISOString();
  const sent = outcomes.filter((outcome) => outcome.status === "sent").map((outcome) => outcome.subscriberId);
  const failed = outcomes.filter((outcome) => outcome.status === "failed");
  const permanent = failed.filter((outcome) => outcome.failure === "permanent").length;
  // One reason and kind for everyone (rejected, quota, gave up): the batch itself fails;
  // reasons that differ per recipient are kept one by one.
  const wholeBatchFailed = sent.length === 0 && new Set(failed.map((outcome) => `${outcome.failure} ${outcome.error}`)).size === 1;
  const sending = "EXISTS (SELECT 1 FROM delivery_batches WHERE edition_id = ?1 AND batch = ?2 AND state = 'sending')";
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `UPDATE delivery_runs SET
           queued = queued - (SELECT size FROM delivery_batches WHERE edition_id = ?1 AND batch = ?2),
           sent = sent + ?3, failed = failed + ?4, failed_permanent = failed_permanent + ?5, unsettled_batches = unsettled_batches - 1
         WHERE edition_id = ?1 AND ${sending}`,
      )
      .bind(editionId, batch, sent.length, failed.length, permanent),
  ];
  if (!wholeBatchFailed && failed.length > 0) {
    statements.push(
      db
        .prepare(
          `INSERT INTO delivery_failures (edition_id, subscriber_id, batch, error, kind, updated_at)
           SELECT ?1, j.value ->> '$.subscriberId', ?2, j.value ->> '$.error', j.value ->> '$.failure', ?4
           FROM json_each(?3) j WHERE ${sending}
           ON CONFLICT DO UPDATE SET batch = excluded.batch, error = excluded.error, kind = excluded.kind, updated_at = excluded.updated_at`,
        )
        .bind(editionId, batch, json(failed), at),
    );
  }
  statements.push(
    db
      .prepare(
        `UPDATE delivery_batches SET state = ?3, recipients = ?4, size = ?5, error = ?6, failure_kind = ?7, updated_at = ?8
         WHERE edition_id = ?1 AND batch = ?2 AND state = 'sending'`,
      )
      .bind(
        editionId,
        batch,
        wholeBatchFailed ? "failed" : "sent",
        json(wholeBatchFailed ? failed.map((outcome) => outcome.subscriberId) : sent),
        wholeBatchFailed ? failed.length : sent.length,
        wholeBatchFailed ? (failed[0]?.error ?? "unknown") : null,
        wholeBatchFailed ? (failed[0]?.failure ?? "temporary") : null,
        at,
      ),
  );
  await db.batch(statements);
}

/**
 * Fails every batch of the edition in `state` (and, with `claimedBefore`, last changed
 * before it) with the reason, temporarily: a quota stop or an unsettled claim says nothing
 * about any address. Returns how many recipients.
 */
async function failBatches(
  db: D1Database,
  editionId: string,
  state: "queued" | "sending",
  claimedBefore: Date | null,
  reason: string,
  now: Date,
  alsoInTheSameTransaction: D1PreparedStatement[] = [],
): Promise<number> {
  const which = "edition_id = ?1 AND state = ?2 AND (?3 IS NULL OR updated_at < ?3)";
  const [moved] = await db.batch<{ n: number | null; b: number }>([
    db.prepare(`SELECT SUM(size) AS n, COUNT(*) AS b FROM delivery_batches WHERE ${which}`).bind(editionId, state, claimedBefore?.toISOString() ?? null),
    db
      .prepare(
        `UPDATE delivery_runs SET
           queued = queued - (SELECT coalesce(SUM(size), 0) FROM delivery_batches WHERE ${which}),
           failed = failed + (SELECT coalesce(SUM(size), 0) FROM delivery_batches WHERE ${which}),
           unsettled_batches = unsettled_batches - (SELECT COUNT(*) FROM delivery_batches WHERE ${which})
         WHERE edition_id = ?1`,
      )
      .bind(editionId, state, claimedBefore?.toISOString() ?? null),
    db
      .prepare(`UPDATE delivery_batches SET state = 'failed', error = ?4, failure_kind = 'temporary', updated_at = ?5 WHERE ${which}`)
      .bind(editionId, state, claimedBefore?.toISOString() ?? null, reason, now.toISOString()),
    ...alsoInTheSameTransaction,
  ]);
  return moved?.results[0]?.n ?? 0;
}

/** A stopped edition: every batch not yet handed to the provider fails with the reason (retry-failed resumes them). */
export async function failQueued(db: D1Database, editionId: string, reason: string, now: Date): Promise<void> {
  await failBatches(db, editionId, "queued", null, reason, now);
}

/**
 * Quota stop: failQueued and the edition marked stopped, in one transaction. The batch that
 * met the quota records its own failures first (deliver-batch.ts), so whoever sees the edition
 * stopped (the console stops updating then) sees every failure the stop caused.
 */
export async function stopForQuota(db: D1Database, editionId: string, reason: string, now: Date): Promise<void> {
  await failBatches(db, editionId, "queued", null, reason, now, [markEditionStopped(db, editionId, reason, now)]);
}

/**
 * Batches handed to the provider before `claimedBefore` and never settled: failed with
 * the reason (an operator decides, retry-failed re-sends them). Returns how many recipients.
 */
export async function failSendingClaimedBefore(
  db: D1Database,
  editionId: string,
  claimedBefore: Date,
  reason: string,
  now: Date,
): Promise<number> {
  return failBatches(db, editionId, "sending", claimedBefore, reason, now);
}

/** The edition's batches still queued or sending, ascending, and how many recipients they hold. */
export async function unsettledBatches(db: D1Database, editionId: string): Promise<{ batches: number[]; recipients: number }> {
  const { results } = await db
    .prepare("SELECT batch, size FROM delivery_batches WHERE edition_id = ? AND state IN ('queued', 'sending') ORDER BY batch")
    .bind(editionId)
    .all<{ batch: number; size: number }>();
  return { batches: results.map((row) => row.batch), recipients: results.reduce((sum, row) => sum + row.size, 0) };
}

interface RunCountsRow {
  edition_id: string;
  queued: number;
  sent: number;
  failed: number;
  failed_permanent: number;
  skipped: number;
  bounced: number;
  complained: number;
}

const NO_RUN: RunCounts = {
  queued: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  failedByKind: { permanent: 0, temporary: 0 },
  bounced: 0,
  complained: 0,
};

/** Delivery counts of editions from their runs' counters (one row each); editions without a run are absent. */
export async function deliveryCountsOf(db: D1Database, editionIds: string[]): Promise<Map<string, RunCounts>> {
  if (editionIds.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT edition_id, queued, sent, failed, failed_permanent, skipped, bounced, complained FROM delivery_runs
       WHERE edition_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(json(editionIds))
    .all<RunCountsRow>();
  return new Map(
    results.map((row) => [
      row.edition_id,
      {
        queued: row.queued,
        sent: row.sent,
        failed: row.failed,
        skipped: row.skipped,
        failedByKind: { permanent: row.failed_permanent, temporary: row.failed - row.failed_permanent },
        bounced: row.bounced,
        complained: row.complained,
      },
    ]),
  );
}

/** One edition's counts (zeros when it has no run). */
export async function deliveryCounts(db: D1Database, editionId: string): Promise<RunCounts> {
  return (await deliveryCountsOf(db, [editionId])).get(editionId) ?? NO_RUN;
}

/** The edition's failed recipients of each kind, ascending by subscriber id, at most `limit` of each kind. */
export async function ledgerFailures(db: D1Database, editionId: string, limit: number): Promise<LedgerFailure[]> {
  const { results } = await db
    .prepare(
      `SELECT id, reason, kind FROM (
         SELECT id, reason, kind, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id) AS nth FROM (
           SELECT CAST(r.value AS INTEGER) AS id, coalesce(b.error, 'unknown') AS reason, b.failure_kind AS kind
           FROM delivery_batches b, json_each(b.recipients) r WHERE b.edition_id = ?1 AND b.state = 'failed'
           UNION ALL
           SELECT subscriber_id, error, kind FROM delivery_failures WHERE edition_id = ?1))
       WHERE nth <= ?2 ORDER BY kind, id`,
    )
    .bind(editionId, limit)
    .all<{ id: number; reason: string; kind: FailureKind }>();
  return results.map((row) => ({ subscriberId: row.id, reason: row.reason, kind: row.kind }));
}

/**
 * Opens a retry round: the edition's temporarily failed recipients go into fresh batches
 * (so fresh idempotency keys: the failed sends were never accepted). Permanent failures
 * stay as they are, never sent again. One transaction: two retries at once move each
 * recipient once. Returns the new batches.
 */
export async function requeueFailed(db: D1Database, editionId: string, now: Date): Promise<{ batches: number[]; recipients: number }> {
  const round = `(SELECT ${RETRY_BATCH_BASE} * retry_rounds FROM delivery_runs WHERE edition_id = ?1)`;
  const fresh = `edition_id = ?1 AND batch >= ${round} AND batch < ${round} + ${RETRY_BATCH_BASE}`;
  const results = await db.batch<{ batch: number; size: number }>([
    db.prepare("UPDATE delivery_runs SET retry_rounds = retry_rounds + 1, settled_at = NULL WHERE edition_id = ?1").bind(editionId),
    db
      .prepare(
        `INSERT INTO delivery_batches (edition_id, batch, state, recipients, size, planned, first_id, last_id, updated_at)
         SELECT ?1, ${round} + grp, 'queued', json_group_array(id), COUNT(*), COUNT(*), MIN(id), MAX(id), ?2
         FROM (
           SELECT id, (ROW_NUMBER() OVER (ORDER BY id) - 1) / ${BATCH_SIZE} AS grp FROM (
             SELECT CAST(r.value AS INTEGER) AS id FROM delivery_batches b, json_each(b.recipients) r
             WHERE b.edition_id = ?1 AND b.state = 'failed' AND b.failure_kind = 'temporary'
             UNION SELECT subscriber_id FROM delivery_failures WHERE edition_id = ?1 AND kind = 'temporary')
           ORDER BY id)
         WHERE EXISTS (SELECT 1 FROM delivery_runs WHERE edition_id = ?1)
         GROUP BY grp`,
      )
      .bind(editionId, now.toISOString()),
    db
      .prepare(
        `UPDATE delivery_runs SET
           failed = failed - (SELECT coalesce(SUM(size), 0) FROM delivery_batches WHERE ${fresh}),
           queued = queued + (SELECT coalesce(SUM(size), 0) FROM delivery_batches WHERE ${fresh}),
           unsettled_batches = unsettled_batches + (SELECT COUNT(*) FROM delivery_batches WHERE ${fresh})
         WHERE edition_id = ?1`,
      )
      .bind(editionId),
    db
      .prepare(
        `UPDATE delivery_batches SET state = 'retried', recipients = '[]', size = 0, failure_kind = NULL, updated_at = ?2
         WHERE edition_id = ?1 AND state = 'failed' AND failure_kind = 'temporary'`,
      )
      .bind(editionId, now.toISOString()),
    db.prepare("DELETE FROM delivery_failures WHERE edition_id = ?1 AND kind = 'temporary'").bind(editionId),
    db.prepare(`SELECT batch, size FROM delivery_batches WHERE ${fresh} ORDER BY batch`).bind(editionId),
  ]);
  const rows = results[5]?.results ?? [];
  return { batches: rows.map((row) => row.batch), recipients: rows.reduce((sum, row) => sum + row.size, 0) };
}

/**
 * sending → sent once the fan-out is complete and no batch waits; a stopped edition
 * stays stopped. One transaction: the run is marked settled only if it is, and the
 * edition changes only if that statement changed the run.
 */
export async function closeEditionIfDelivered(db: D1Database, editionId: string, now: Date): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE delivery_runs SET settled_at = ?2
         WHERE edition_id = ?1 AND fanout_completed_at IS NOT NULL AND unsettled_batches = 0 AND settled_at IS NULL`,
      )
      .bind(editionId, now.toISOString()),
    markEditionSentIfPreviousChanged(db, editionId, now),
  ]);
}

export interface LedgerActivity {
  editionId: string;
  fanoutCompleted: boolean;
  unsettledBatches: number;
  /** The latest change of any of its batches (ISO; empty when it has none). */
  lastChange: string;
}

/**
 * Runs whose delivery is unfinished (fan-out incomplete or batches queued or sending),
 * or named in `editionIds`, with when their ledger last changed.
 */
export async function ledgerActivity(db: D1Database, editionIds: string[]): Promise<LedgerActivity[]> {
  const { results } = await db
    .prepare(
      `SELECT r.edition_id, r.fanout_completed_at, r.unsettled_batches,
         coalesce((SELECT MAX(updated_at) FROM delivery_batches WHERE edition_id = r.edition_id), '') AS last_change
       FROM delivery_runs r
       WHERE r.fanout_completed_at IS NULL OR r.unsettled_batches > 0 OR r.edition_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(json(editionIds))
    .all<{ edition_id: string; fanout_completed_at: string | null; unsettled_batches: number; last_change: string }>();
  return results.map((row) => ({
    editionId: row.edition_id,
    fanoutCompleted: row.fanout_completed_at !== null,
    unsettledBatches: row.unsettled_batches,
    lastChange: row.last_change,
  }));
}

export interface DeliveryMoment {
  /** ISO second (UTC) at which batches reached a final state. */
  at: string;
  sent: number;
  failed: number;
  skipped: number;
}

/** How many of the edition's recipients reached each final state, per second, oldest first. */
export async function deliveryTimeline(db: D1Database, editionId: string): Promise<DeliveryMoment[]> {
  const { results } = await db
    .prepare(
      `SELECT at, SUM(sent) AS sent, SUM(failed) AS failed, SUM(skipped) AS skipped FROM (
         SELECT strftime('%Y-%m-%dT%H:%M:%SZ', updated_at) AS at,
           CASE state WHEN 'sent' THEN size ELSE 0 END AS sent, CASE state WHEN 'failed' THEN size ELSE 0 END AS failed, skipped
         FROM delivery_batches WHERE edition_id = ?1 AND state IN ('sent', 'failed')
         UNION ALL
         SELECT strftime('%Y-%m-%dT%H:%M:%SZ', updated_at), 0, 1, 0 FROM delivery_failures WHERE edition_id = ?1)
       GROUP BY at ORDER BY at`,
    )
    .bind(editionId)
    .all<DeliveryMoment>();
  return results;
}

/**
 * Bounce and complaint events carry no edition, so one is attributed to an edition when
 * its subscriber was sent that edition and the event came within this many days of it.
 */
export const ATTRIBUTION_DAYS = 7;
const DAY_MS = 86_400_000;

export interface AttributableEvent {
  subscriberId: number;
  type: "bounced" | "complained";
}

/**
 * Counts fresh permanent bounces and complaints against every edition opened in the
 * last ATTRIBUTION_DAYS that was sent to their subscriber, in one statement: the batch
 * holding a subscriber is found through the range index (the fan-out batch whose range
 * ends first at or after the id, plus any retry batch spanning it).
 */
export async function attributeEvents(db: D1Database, events: AttributableEvent[], now: Date): Promise<void> {
  if (events.length === 0) return;
  await db
    .prepare(
      `UPDATE delivery_runs SET bounced = delivery_runs.bounced + c.new_bounced, complained = delivery_runs.complained + c.new_complained
       FROM (
         SELECT r.edition_id AS edition_id,
           SUM(ev.value ->> '$.type' = 'bounced') AS new_bounced, SUM(ev.value ->> '$.type' = 'complained') AS new_complained
         FROM delivery_runs r, json_each(?1) ev
         WHERE r.opened_at >= ?2 AND r.opened_at <= ?3 AND EXISTS (
           SELECT 1 FROM (
               SELECT batch FROM (
                 SELECT batch FROM delivery_batches
                 WHERE edition_id = r.edition_id AND last_id >= ev.value ->> '$.subscriberId' AND batch < ${RETRY_BATCH_BASE}
                 ORDER BY last_id LIMIT 1)
               UNION ALL
               SELECT batch FROM delivery_batches
               WHERE edition_id = r.edition_id AND batch >= ${RETRY_BATCH_BASE}
                 AND first_id <= ev.value ->> '$.subscriberId' AND last_id >= ev.value ->> '$.subscriberId') AS candidate
             JOIN delivery_batches b ON b.edition_id = r.edition_id AND b.batch = candidate.batch
           WHERE b.state = 'sent' AND EXISTS (SELECT 1 FROM json_each(b.recipients) WHERE value = ev.value ->> '$.subscriberId'))
         GROUP BY r.edition_id) AS c
       WHERE delivery_runs.edition_id = c.edition_id AND c.new_bounced + c.new_complained > 0`,
    )
    .bind(json(events), new Date(now.getTime() - ATTRIBUTION_DAYS * DAY_MS).toISOString(), now.toISOString())
    .run();
}

/**
 * Retention: for up to `limit` settled runs opened before `openedBefore` and not yet
 * retained, drops the per-recipient record of what was sent (sent and retried batches).
 * Counts, attribution counts and failures (with their kinds) stay. Returns the editions retained.
 */
export async function dropSentRecipients(db: D1Database, openedBefore: Date, limit: number, now: Date): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT edition_id FROM delivery_runs
       WHERE retained_at IS NULL AND opened_at < ? AND unsettled_batches = 0 AND fanout_completed_at IS NOT NULL
       ORDER BY opened_at LIMIT ?`,
    )
    .bind(openedBefore.toISOString(), limit)
    .all<{ edition_id: string }>();
  const ids = results.map((row) => row.edition_id);
  if (ids.length === 0) return [];
  await db.batch([
    db
      .prepare("DELETE FROM delivery_batches WHERE edition_id IN (SELECT value FROM json_each(?)) AND state IN ('sent', 'retried')")
      .bind(json(ids)),
    db.prepare("UPDATE delivery_runs SET retained_at = ? WHERE edition_id IN (SELECT value FROM json_each(?))").bind(now.toISOString(), json(ids)),
  ]);
  return ids;
}
