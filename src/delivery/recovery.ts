/**
 * Recovery of sends that stopped moving: a process killed mid-send (the local queue
 * dies with `wrangler dev`), a message dead-lettered in production, a consumer that
 * died between the provider's answer and closing the edition. Nothing else ever
 * re-enqueues a ledger row left `queued` or `sending`.
 *
 * Never twice: a batch is re-enqueued under its original Idempotency-Key
 * `<edition>/<batch>` (deliver-batch.ts), so a batch the provider already accepted
 * is answered from its record, not sent again. That record only lasts the provider's
 * idempotency window (24 h at Resend): rows handed to the provider longer ago than
 * that are failed with a reason saying so instead, and the operator decides.
 *
 * Three entry points share recoverEdition: the maintenance cron's sweep (editions
 * quiet for QUIET_PERIOD_MS), POST /api/sends/:edition/resume (at once), and the
 * dead-letter queue's consumer (at once). Each logs one JSON line per edition.
 */
import { closeEditionIfDelivered, getEdition, stalledEditionIds, type Edition } from "../digests/editions-store.ts";
import { backoffSeconds, MAX_DELIVERY_ATTEMPTS } from "./deliver-batch.ts";
import { failSendingClaimedBefore, getDeliveryRun, unsettledBatches } from "./ledger-store.ts";
import { enqueue } from "./messages.ts";
import { resumeFanOut } from "./open-edition.ts";
import { log } from "../log.ts";

/** Resend keeps an Idempotency-Key's answer for 24 hours. */
export const PROVIDER_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The sweep leaves an edition alone while its ledger changed this recently. A batch
 * waiting out its longest backoff looks quiet for that long, so the period is at
 * least that; a batch the sweep re-enqueues anyway is only delivered twice as a
 * message (same key, and the consumer runs one message at a time), never as mail.
 */
export const QUIET_PERIOD_MS = backoffSeconds(MAX_DELIVERY_ATTEMPTS) * 1000;

export type RecoverySource = "sweep" | "resume" | "dead-letter";

export interface RecoveryReport {
  edition: string;
  /** Batches (and their rows still queued or sending) put back on the delivery queue. */
  requeued: { batches: number; recipients: number };
  /** Rows `sending` for longer than the provider's idempotency window, now failed. */
  failedStale: number;
  /** The fan-out had not written every recipient and was started again. */
  fanOutResumed: boolean;
  /** The edition's status once recovered (`sent` when nothing was left to send). */
  status: Edition["status"];
}

function staleReason(editionId: string): string {
  return (
    "handed to the provider over 24 h ago and never confirmed: past the provider's idempotency window, " +
    `so sending again could mail it twice; check the provider's log, then POST /api/sends/${editionId}/retry-failed to send anyway`
  );
}

/** Puts an edition's unfinished delivery back on the queue; safe to run any number of times. */
export async function recoverEdition(
  env: Env,
  edition: Edition,
  siteUrl: string,
  source: RecoverySource,
  now: Date,
): Promise<RecoveryReport> {
  const db = env.DB;
  const claimedBefore = new Date(now.getTime() - PROVIDER_IDEMPOTENCY_WINDOW_MS);
  const failedStale = await failSendingClaimedBefore(db, edition.id, claimedBefore, staleReason(edition.id), now);
  const { batches, recipients } = await unsettledBatches(db, edition.id);
  await enqueue(
    env.DELIVERY_QUEUE,
    batches.map((batch) => ({ type: "deliver", edition: edition.id, batch })),
  );
  const run = await getDeliveryRun(db, edition.id);
  const fanOutResumed = edition.status !== "sent" && !run?.fanoutCompleted;
  if (fanOutResumed) await resumeFanOut(env, edition, run?.siteUrl ?? siteUrl, now);
  await closeEditionIfDelivered(db, edition.id, now);

  const report: RecoveryReport = {
    edition: edition.id,
    requeued: { batches: batches.length, recipients },
    failedStale,
    fanOutResumed,
    status: (await getEdition(db, edition.id))?.status ?? edition.status,
  };
  log.info("recovery", { source, ...report });
  return report;
}

/** The maintenance cron: recovers every edition whose delivery has not moved for QUIET_PERIOD_MS. */
export async function sweepStalledEditions(env: Env, siteUrl: string, now: Date): Promise<RecoveryReport[]> {
  const ids = await stalledEditionIds(env.DB, new Date(now.getTime() - QUIET_PERIOD_MS));
  const reports: RecoveryReport[] = [];
  const failures: unknown[] = [];
  for (const id of ids) {
    try {
      const edition = await getEdition(env.DB, id);
      if (edition) reports.push(await recoverEdition(env, edition, siteUrl, "sweep", now));
    } catch (error) {
      // One edition failing does not hold back the others; the next sweep tries it again.
      log.error("recovery-failed", { edition: id, error });
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} edition(s) could not be recovered`);
  return reports;
}
