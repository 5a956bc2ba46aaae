/**
 * D1 read models of the console: subscribers by status, the event log by day, recent
 * editions with their delivery counts and bounce and complaint rates, and an edition's
 * deliveries over time. Read-only; rows are mapped to these types here and nowhere else.
 */
import type { Edition } from "../digests/editions-store.ts";
import type { DeliveryCounts } from "../delivery/ledger-store.ts";
import { subscriberStatuses, type SubscriberStatus } from "../subscribers/store.ts";

export type StatusCounts = Record<SubscriberStatus, number>;

export async function subscriberStatusCounts(db: D1Database): Promise<StatusCounts> {
  const { results } = await db
    .prepare("SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status")
    .all<{ status: SubscriberStatus; n: number }>();
  const counts = Object.fromEntries(subscriberStatuses.map((status) => [status, 0])) as StatusCounts;
  for (const row of results) counts[row.status] = row.n;
  return counts;
}

/** The growth plot's series: imports count as subscriptions; bounces and complaints are one series (both end a subscription). */
export const growthSeries = ["subscribed", "confirmed", "unsubscribed", "bouncedOrComplained"] as const;
export type GrowthSeries = (typeof growthSeries)[number];

export interface GrowthDay {
  /** YYYY-MM-DD, Beijing. */
  day: string;
  counts: Record<GrowthSeries, number>;
}

const BEIJING_DAY = "date(created_at, '+8 hours')";

/** Events per Beijing day for the last `days` days up to `now`, every day present (zero when quiet), oldest first. */
export async function dailyGrowth(db: D1Database, now: Date, days: number): Promise<GrowthDay[]> {
  const dayOf = (offset: number) => new Date(now.getTime() + 8 * 3600_000 - offset * 86_400_000).toISOString().slice(0, 10);
  const first = dayOf(days - 1);
  const { results } = await db
    .prepare(
      `SELECT ${BEIJING_DAY} AS day,
         CASE WHEN type IN ('bounced', 'complained') THEN 'bouncedOrComplained' WHEN type = 'imported' THEN 'subscribed' ELSE type END AS series, COUNT(*) AS n
       FROM subscriber_events
       WHERE type IN ('subscribed', 'imported', 'confirmed', 'unsubscribed', 'bounced', 'complained') AND ${BEIJING_DAY} >= ?
       GROUP BY day, series`,
    )
    .bind(first)
    .all<{ day: string; series: GrowthSeries; n: number }>();
  const byDay = new Map<string, GrowthDay>();
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = dayOf(offset);
    byDay.set(day, { day, counts: { subscribed: 0, confirmed: 0, unsubscribed: 0, bouncedOrComplained: 0 } });
  }
  for (const row of results) {
    const entry = byDay.get(row.day);
    if (entry) entry.counts[row.series] += row.n;
  }
  return [...byDay.values()];
}

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

/**
 * Bounce and complaint events carry no edition, so one is attributed to an edition when
 * its subscriber was sent that edition and the event came within this many days of it.
 */
export const ATTRIBUTION_DAYS = 7;

/** The newest editions (of one digest, or of all), with delivery counts and attributed bounces and complaints. */
export async function recentEditions(db: D1Database, limit: number, digestId: string | null = null): Promise<EditionSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id, e.digest_id, e.subject, e.status, e.created_at,
         (SELECT COUNT(*) FROM deliveries WHERE edition_id = e.id AND status IN ('queued', 'sending')) AS queued,
         (SELECT COUNT(*) FROM deliveries WHERE edition_id = e.id AND status = 'sent') AS sent,
         (SELECT COUNT(*) FROM deliveries WHERE edition_id = e.id AND status = 'failed') AS failed,
         (SELECT COUNT(*) FROM deliveries WHERE edition_id = e.id AND status = 'skipped') AS skipped,
         (SELECT COUNT(*) FROM subscriber_events ev JOIN deliveries d ON d.subscriber_id = ev.subscriber_id
            WHERE d.edition_id = e.id AND d.status = 'sent' AND ev.type = 'bounced' AND ev.detail LIKE 'Permanent%'
              AND ev.created_at >= e.created_at AND ev.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', e.created_at, '+${ATTRIBUTION_DAYS} days')) AS bounced,
         (SELECT COUNT(*) FROM subscriber_events ev JOIN deliveries d ON d.subscriber_id = ev.subscriber_id
            WHERE d.edition_id = e.id AND d.status = 'sent' AND ev.type = 'complained'
              AND ev.created_at >= e.created_at AND ev.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', e.created_at, '+${ATTRIBUTION_DAYS} days')) AS complained
       FROM editions e WHERE (?2 IS NULL OR e.digest_id = ?2)
       ORDER BY e.created_at DESC, e.id DESC LIMIT ?1`,
    )
    .bind(limit, digestId)
    .all<{
      id: string;
      digest_id: string;
      subject: string;
      status: Edition["status"];
      created_at: string;
      queued: number;
      sent: number;
      failed: number;
      skipped: number;
      bounced: number;
      complained: number;
    }>();
  return results.map((row) => ({
    id: row.id,
    digestId: row.digest_id,
    subject: row.subject,
    status: row.status,
    createdAt: row.created_at,
    counts: { queued: row.queued, sent: row.sent, failed: row.failed, skipped: row.skipped },
    bounced: row.bounced,
    complained: row.complained,
  }));
}

export interface DeliveryMoment {
  /** ISO second (UTC) at which rows reached a final state. */
  at: string;
  sent: number;
  failed: number;
  skipped: number;
}

/** How many of the edition's rows reached each final state, per second, oldest first. */
export async function deliveryTimeline(db: D1Database, editionId: string): Promise<DeliveryMoment[]> {
  const { results } = await db
    .prepare(
      `SELECT strftime('%Y-%m-%dT%H:%M:%SZ', updated_at) AS at,
         SUM(status = 'sent') AS sent, SUM(status = 'failed') AS failed, SUM(status = 'skipped') AS skipped
       FROM deliveries WHERE edition_id = ? AND status IN ('sent', 'failed', 'skipped')
       GROUP BY at ORDER BY at`,
    )
    .bind(editionId)
    .all<DeliveryMoment>();
  return results;
}
