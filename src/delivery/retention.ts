/**
 * Ledger retention, run by the maintenance cron: once an edition is older than the
 * retention window (LEDGER_RETENTION_DAYS, 90 by default) and fully settled, the record
 * of which subscribers it was sent to is dropped. What stays: its counts (sent, failed,
 * skipped), the bounces and complaints attributed to it (counted as they arrived, within
 * ATTRIBUTION_DAYS, long before the window ends), and its failures with their reasons and
 * kinds (failed batches and delivery_failures are never deleted here), so retry-failed,
 * the counts per kind and the console's failure list keep working. Nothing per recipient
 * beyond that.
 */
import { dropSentRecipients } from "./ledger-store.ts";
import { log } from "../log.ts";

/** Editions retained per cron run: a 1,000,000-reader edition is 10,000 batch rows to delete. */
const EDITIONS_PER_RUN = 10;
const DAY_MS = 86_400_000;

export async function retainLedger(db: D1Database, retentionDays: number, now: Date): Promise<string[]> {
  const retained = await dropSentRecipients(db, new Date(now.getTime() - retentionDays * DAY_MS), EDITIONS_PER_RUN, now);
  if (retained.length > 0) log.info("retention", { retentionDays, editions: retained });
  return retained;
}
