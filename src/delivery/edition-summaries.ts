/**
 * The console's list of editions: each with its delivery counts and the bounces and
 * complaints attributed to it, all read from the delivery runs' counters (one row per
 * edition), never by counting recipients.
 */
import { recentEditions, type Edition } from "../digests/editions-store.ts";
import { deliveryCountsOf, type DeliveryCounts } from "./ledger-store.ts";

export interface EditionSummary {
  id: string;
  digestId: string;
  subject: string;
  status: Edition["status"];
  createdAt: string;
  counts: DeliveryCounts;
  /** Permanent bounces and complaints of its recipients within ATTRIBUTION_DAYS after it opened. */
  bounced: number;
  complained: number;
}

/** The newest editions (of one digest, or of all), with delivery counts and attributed bounces and complaints. */
export async function recentEditionSummaries(db: D1Database, limit: number, digestId: string | null = null): Promise<EditionSummary[]> {
  const editions = await recentEditions(db, limit, digestId);
  const counts = await deliveryCountsOf(db, editions.map((edition) => edition.id));
  return editions.map((edition) => {
    const run = counts.get(edition.id);
    return {
      id: edition.id,
      digestId: edition.digestId,
      subject: edition.subject,
      status: edition.status,
      createdAt: edition.createdAt,
      counts: { queued: run?.queued ?? 0, sent: run?.sent ?? 0, failed: run?.failed ?? 0, skipped: run?.skipped ?? 0 },
      bounced: run?.bounced ?? 0,
      complained: run?.complained ?? 0,
    };
  });
}
