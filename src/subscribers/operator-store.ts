/**
 * D1 access for the operator: listing subscribers (keyset pages, filters) and erasing
 * one. The reader's own changes are in store.ts, which also maps the rows.
 */
import { SELECT_SUBSCRIBER, toSubscriber, type Subscriber, type SubscriberRow, type SubscriberStatus } from "./store.ts";

export interface SubscriberFilter {
  status?: SubscriberStatus;
  digest?: string;
  /** Part of the address, matched case-insensitively. */
  emailContains?: string;
  /** Id of the last subscriber of the previous page. */
  after?: number;
  limit: number;
}

/** Keyset-paged by id; `nextAfter` is null on the last page. */
export async function listSubscribers(
  db: D1Database,
  filter: SubscriberFilter,
): Promise<{ subscribers: Subscriber[]; nextAfter: number | null }> {
  const { results } = await db
    .prepare(
      `${SELECT_SUBSCRIBER}
       WHERE s.id > ?1 AND (?2 IS NULL OR s.status = ?2)
         AND (?3 IS NULL OR EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = s.id AND digest_id = ?3))
         AND (?5 IS NULL OR instr(lower(s.email), lower(?5)) > 0)
       ORDER BY s.id LIMIT ?4`,
    )
    .bind(filter.after ?? 0, filter.status ?? null, filter.digest ?? null, filter.limit + 1, filter.emailContains || null)
    .all<SubscriberRow>();
  const page = results.slice(0, filter.limit).map(toSubscriber);
  const hasMore = results.length > filter.limit;
  return { subscribers: page, nextAfter: hasMore ? (page.at(-1)?.id ?? null) : null };
}

/**
 * Erases a subscriber: the row, their subscriptions and their event history go; one
 * anonymised "erased" event (no address, no id) stays. Returns false when the address is unknown.
 */
export async function erase(db: D1Database, email: string, now: Date): Promise<boolean> {
  const [, , removed] = await db.batch([
    db
      .prepare(
        "INSERT INTO subscriber_events (subscriber_id, type, detail, created_at) SELECT NULL, 'erased', NULL, ? WHERE EXISTS (SELECT 1 FROM subscribers WHERE email = ?)",
      )
      .bind(now.toISOString(), email),
    db.prepare("DELETE FROM subscriber_events WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = ?)").bind(email),
    db.prepare("DELETE FROM subscribers WHERE email = ?").bind(email),
  ]);
  return (removed?.meta.changes ?? 0) > 0;
}
