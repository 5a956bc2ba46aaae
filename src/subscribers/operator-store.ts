/**
 * D1 access for the operator: listing subscribers (keyset pages, filters) and erasing
 * one. The reader's own changes are in store.ts, which also maps the rows.
 */
import { SELECT_SUBSCRIBER, toSubscriber, type Subscriber, type SubscriberRow, type SubscriberStatus } from "./store.ts";

export interface SubscriberFilter {
  status?: SubscriberStatus;
  digest?: string;
  /**
   * The start of the address ("ada", "ada@exa") or of its domain ("example.org"), in any
   * case: both are ranges of an index (the address's own and subscribers_domain), so a
   * search answers as fast at a million subscribers as at ten.
   */
  emailStartsWith?: string;
  /** Id of the last subscriber of the previous page. */
  after?: number;
  limit: number;
}

/** The address's domain, as the subscribers_domain index holds it (migration 0008). */
const DOMAIN = "substr(email, instr(email, '@') + 1)";

/** Keyset-paged by id; `nextAfter` is null on the last page. */
export async function listSubscribers(
  db: D1Database,
  filter: SubscriberFilter,
): Promise<{ subscribers: Subscriber[]; nextAfter: number | null }> {
  const prefix = filter.emailStartsWith?.trim().toLowerCase() || null;
  // Matching ids come from the two index ranges; the page is then walked by id from there.
  const search = prefix
    ? `AND s.id IN (SELECT id FROM subscribers WHERE email >= ?5 AND email < ?6
                    UNION SELECT id FROM subscribers WHERE ${DOMAIN} >= ?5 AND ${DOMAIN} < ?6)`
    : "";
  const { results } = await db
    .prepare(
      `${SELECT_SUBSCRIBER}
       WHERE s.id > ?1 AND (?2 IS NULL OR s.status = ?2)
         AND (?3 IS NULL OR EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = s.id AND digest_id = ?3))
         ${search}
       ORDER BY s.id LIMIT ?4`,
    )
    .bind(filter.after ?? 0, filter.status ?? null, filter.digest ?? null, filter.limit + 1, ...(prefix ? [prefix, `${prefix}\u{10FFFF}`] : []))
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
