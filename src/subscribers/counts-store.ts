/**
 * Counts the console and the sender show, read from counters the database keeps in the
 * statement that changes a row (triggers of migrations/0008_compact_ledger_and_counters.sql):
 * subscribers by status, each digest's recipients, and the event log per Beijing day.
 * No read here counts the subscribers table.
 */
import { subscriberStatuses, type SubscriberStatus } from "./store.ts";

export type StatusCounts = Record<SubscriberStatus, number>;

export async function subscriberStatusCounts(db: D1Database): Promise<StatusCounts> {
  const { results } = await db
    .prepare("SELECT substr(key, 8) AS status, n FROM subscriber_counts WHERE key LIKE 'status:%'")
    .all<{ status: SubscriberStatus; n: number }>();
  const counts = Object.fromEntries(subscriberStatuses.map((status) => [status, 0])) as StatusCounts;
  for (const row of results) if (row.status in counts) counts[row.status] = row.n;
  return counts;
}

/** The digest's recipients: active subscribers subscribed to it. */
export async function recipientCount(db: D1Database, digestId: string): Promise<number> {
  const row = await db.prepare("SELECT n FROM subscriber_counts WHERE key = ?").bind(`digest:${digestId}`).first<{ n: number }>();
  return row?.n ?? 0;
}

/** The growth plot's series: imports count as subscriptions; bounces and complaints are one series (both end a subscription). */
export const growthSeries = ["subscribed", "confirmed", "unsubscribed", "bouncedOrComplained"] as const;
export type GrowthSeries = (typeof growthSeries)[number];

export interface GrowthDay {
  /** YYYY-MM-DD, Beijing. */
  day: string;
  counts: Record<GrowthSeries, number>;
}

const SERIES_OF_TYPE: Record<string, GrowthSeries> = {
  subscribed: "subscribed",
  imported: "subscribed",
  confirmed: "confirmed",
  unsubscribed: "unsubscribed",
  bounced: "bouncedOrComplained",
  complained: "bouncedOrComplained",
};

/** Events per Beijing day for the last `days` days up to `now`, every day present (zero when quiet), oldest first. */
export async function dailyGrowth(db: D1Database, now: Date, days: number): Promise<GrowthDay[]> {
  const dayOf = (offset: number) => new Date(now.getTime() + 8 * 3600_000 - offset * 86_400_000).toISOString().slice(0, 10);
  const { results } = await db
    .prepare("SELECT day, type, n FROM subscriber_event_days WHERE day >= ?")
    .bind(dayOf(days - 1))
    .all<{ day: string; type: string; n: number }>();
  const byDay = new Map<string, GrowthDay>();
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = dayOf(offset);
    byDay.set(day, { day, counts: { subscribed: 0, confirmed: 0, unsubscribed: 0, bouncedOrComplained: 0 } });
  }
  for (const row of results) {
    const entry = byDay.get(row.day);
    const series = SERIES_OF_TYPE[row.type];
    if (entry && series) entry.counts[series] += row.n;
  }
  return [...byDay.values()];
}
