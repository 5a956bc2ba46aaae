/**
 * WebSub's D1 tables (migrations/0013): verified subscriptions with their lease, each
 * topic's last published body hash, and the last published content version. Rows are
 * mapped to these types here and nowhere else; times are unix milliseconds.
 */

export interface WebSubSubscription {
  topic: string;
  callback: string;
  secret: string | null;
  leaseSeconds: number;
  expiresAt: number;
}

interface SubscriptionRow {
  topic: string;
  callback: string;
  secret: string | null;
  lease_seconds: number;
  expires_at: number;
}

const toSubscription = (row: SubscriptionRow): WebSubSubscription => ({
  topic: row.topic,
  callback: row.callback,
  secret: row.secret,
  leaseSeconds: row.lease_seconds,
  expiresAt: row.expires_at,
});

/** A verified subscribe: a renewal replaces the lease and the secret. */
export async function saveSubscription(db: D1Database, subscription: Omit<WebSubSubscription, "expiresAt">, now: Date): Promise<void> {
  const at = now.getTime();
  await db
    .prepare(
      `INSERT INTO websub_subscriptions (topic, callback, secret, lease_seconds, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (topic, callback) DO UPDATE SET secret = ?3, lease_seconds = ?4, expires_at = ?5`,
    )
    .bind(subscription.topic, subscription.callback, subscription.secret, subscription.leaseSeconds, at + subscription.leaseSeconds * 1000, at)
    .run();
}

export async function deleteSubscription(db: D1Database, topic: string, callback: string): Promise<void> {
  await db.prepare("DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?").bind(topic, callback).run();
}

/** The live subscription of a callback to a topic; null once unsubscribed or expired. */
export async function getSubscription(db: D1Database, topic: string, callback: string, now: Date): Promise<WebSubSubscription | null> {
  const row = await db
    .prepare("SELECT topic, callback, secret, lease_seconds, expires_at FROM websub_subscriptions WHERE topic = ? AND callback = ? AND expires_at > ?")
    .bind(topic, callback, now.getTime())
    .first<SubscriptionRow>();
  return row ? toSubscription(row) : null;
}

/** Every live subscription, by topic. */
export async function liveSubscriptions(db: D1Database, now: Date): Promise<WebSubSubscription[]> {
  const { results } = await db
    .prepare("SELECT topic, callback, secret, lease_seconds, expires_at FROM websub_subscriptions WHERE expires_at > ? ORDER BY topic, callback")
    .bind(now.getTime())
    .all<SubscriptionRow>();
  return results.map(toSubscription);
}

/** Deletes expired subscriptions; returns how many. */
export async function deleteExpiredSubscriptions(db: D1Database, now: Date): Promise<number> {
  const { meta } = await db.prepare("DELETE FROM websub_subscriptions WHERE expires_at <= ?").bind(now.getTime()).run();
  return meta.changes;
}

/** The baseline a new subscriber starts from: a topic already published keeps its hash. */
export async function rememberTopicBody(db: D1Database, topic: string, bodyHash: string): Promise<void> {
  await db.prepare("INSERT INTO websub_topics (topic, body_hash) VALUES (?, ?) ON CONFLICT (topic) DO NOTHING").bind(topic, bodyHash).run();
}

/**
 * Claims the publication of a topic's new body: true for the one caller that moved the
 * stored hash to `bodyHash`, false when it was already that (unchanged, or another
 * isolate published it first), so a content version notifies each topic once.
 */
export async function claimTopicBody(db: D1Database, topic: string, bodyHash: string): Promise<boolean> {
  const row = await db
    .prepare(
      `INSERT INTO websub_topics (topic, body_hash) VALUES (?1, ?2)
       ON CONFLICT (topic) DO UPDATE SET body_hash = ?2 WHERE body_hash <> ?2
       RETURNING topic`,
    )
    .bind(topic, bodyHash)
    .first<{ topic: string }>();
  return row !== null;
}

export async function lastPublishedContent(db: D1Database): Promise<string | null> {
  const row = await db.prepare("SELECT content_hash FROM websub_published WHERE id = 1").first<{ content_hash: string }>();
  return row?.content_hash ?? null;
}

export async function markContentPublished(db: D1Database, contentHash: string, now: Date): Promise<void> {
  await db
    .prepare(
      `INSERT INTO websub_published (id, content_hash, published_at) VALUES (1, ?1, ?2)
       ON CONFLICT (id) DO UPDATE SET content_hash = ?1, published_at = ?2`,
    )
    .bind(contentHash, now.getTime())
    .run();
}

/** Live subscriptions per topic, for the console and the operator API. */
export async function subscriptionCounts(db: D1Database, now: Date): Promise<{ topic: string; subscriptions: number }[]> {
  const { results } = await db
    .prepare("SELECT topic, COUNT(*) AS subscriptions FROM websub_subscriptions WHERE expires_at > ? GROUP BY topic ORDER BY subscriptions DESC, topic")
    .bind(now.getTime())
    .all<{ topic: string; subscriptions: number }>();
  return results;
}
