/**
 * D1 side of the RSS audience (migrations/0013 feed_audience): one upsert per fetcher, feed
 * and day, and the report the console and GET /api/feeds/audience show. Days are Beijing
 * days (YYYY-MM-DD), like the console's subscriber growth.
 */
import { beijingDate } from "../text/beijing-time.ts";
import { subscriptionCounts } from "./websub-store.ts";

export interface AudienceRow {
  day: string;
  /** The feed's path, e.g. "/rss.xml" or "/tags/agents/atom.xml". */
  feed: string;
  /** A service's name, or "client:<hash>" for another client. */
  fetcher: string;
  kind: "service" | "client";
  readers: number;
}

export async function recordAudience(db: D1Database, row: AudienceRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO feed_audience (day, feed, fetcher, kind, readers) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (day, feed, fetcher) DO UPDATE SET readers = ?5`,
    )
    .bind(row.day, row.feed, row.fetcher, row.kind, row.readers)
    .run();
}

/** Days of audience kept (the console plots 30). */
export const AUDIENCE_KEEP_DAYS = 400;

export async function deleteOldAudience(db: D1Database, now: Date): Promise<void> {
  const oldest = beijingDate(new Date(now.getTime() - AUDIENCE_KEEP_DAYS * 86_400_000));
  await db.prepare("DELETE FROM feed_audience WHERE day < ?").bind(oldest).run();
}

export interface AudienceDay {
  day: string;
  /** Subscribers reported by reader services plus other clients. */
  readers: number;
  serviceSubscribers: number;
  otherClients: number;
}

export interface FeedAudience {
  /** The last `days` Beijing days up to today, oldest first, every day present. */
  daily: AudienceDay[];
  /** The newest day with any fetch (normally today): its numbers by service and by feed. */
  latest: {
    day: string | null;
    readers: number;
    services: { service: string; subscribers: number }[];
    otherClients: number;
    feeds: { feed: string; readers: number }[];
  };
}

export async function feedAudience(db: D1Database, now: Date, days: number): Promise<FeedAudience> {
  const dayOf = (offset: number) => beijingDate(new Date(now.getTime() - offset * 86_400_000));
  const first = dayOf(days - 1);
  const [totals, newest] = await db.batch([
    db
      .prepare(
        `SELECT day, SUM(CASE WHEN kind = 'service' THEN readers ELSE 0 END) AS services, SUM(kind = 'client') AS clients
         FROM feed_audience WHERE day >= ? GROUP BY day`,
      )
      .bind(first),
    db.prepare("SELECT MAX(day) AS day FROM feed_audience WHERE day <= ?").bind(dayOf(0)),
  ]);
  const byDay = new Map<string, { services: number; clients: number }>();
  for (const row of (totals?.results ?? []) as { day: string; services: number; clients: number }[]) byDay.set(row.day, row);
  const daily: AudienceDay[] = [];
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = dayOf(offset);
    const counts = byDay.get(day) ?? { services: 0, clients: 0 };
    daily.push({ day, readers: counts.services + counts.clients, serviceSubscribers: counts.services, otherClients: counts.clients });
  }
  const latestDay = ((newest?.results[0] ?? null) as { day: string | null } | null)?.day ?? null;
  if (latestDay === null) return { daily, latest: { day: null, readers: 0, services: [], otherClients: 0, feeds: [] } };
  const [services, feeds] = await db.batch([
    db
      .prepare(
        `SELECT fetcher AS service, SUM(readers) AS subscribers FROM feed_audience WHERE day = ? AND kind = 'service'
         GROUP BY fetcher ORDER BY subscribers DESC, fetcher`,
      )
      .bind(latestDay),
    db.prepare("SELECT feed, SUM(readers) AS readers FROM feed_audience WHERE day = ? GROUP BY feed ORDER BY readers DESC, feed").bind(latestDay),
  ]);
  const serviceRows = (services?.results ?? []) as { service: string; subscribers: number }[];
  const feedRows = (feeds?.results ?? []) as { feed: string; readers: number }[];
  const readers = feedRows.reduce((sum, row) => sum + row.readers, 0);
  const serviceSubscribers = serviceRows.reduce((sum, row) => sum + row.subscribers, 0);
  return { daily, latest: { day: latestDay, readers, services: serviceRows, otherClients: readers - serviceSubscribers, feeds: feedRows } };
}

/** Days the console plots and the API returns. */
export const AUDIENCE_DAYS = 30;

/** What the console and GET /api/feeds/audience show: the audience and the live WebSub subscriptions. */
export interface FeedReaders extends FeedAudience {
  websub: { subscriptions: number; topics: { topic: string; subscriptions: number }[] };
}

export async function feedReaders(db: D1Database, now: Date): Promise<FeedReaders> {
  const [audience, topics] = await Promise.all([feedAudience(db, now, AUDIENCE_DAYS), subscriptionCounts(db, now)]);
  return { ...audience, websub: { subscriptions: topics.reduce((sum, t) => sum + t.subscriptions, 0), topics } };
}
