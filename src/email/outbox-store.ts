/** D1 access to the local outbox (development mail sink). */
import type { OutgoingEmail } from "./outgoing-email.ts";

export interface OutboxMessage extends OutgoingEmail {
  id: number;
  createdAt: string;
}

interface OutboxRow {
  id: number;
  from_address: string;
  to_address: string;
  subject: string;
  headers: string;
  tags: string;
  html: string;
  text: string;
  created_at: string;
}

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    from: row.from_address,
    to: row.to_address,
    subject: row.subject,
    headers: JSON.parse(row.headers) as Record<string, string>,
    tags: JSON.parse(row.tags) as { name: string; value: string }[],
    html: row.html,
    text: row.text,
    createdAt: row.created_at,
  };
}

/** Stores messages; a message whose idempotency key is already stored is skipped. */
export async function insertOutboxMessages(
  db: D1Database,
  messages: { email: OutgoingEmail; idempotencyKey: string | null }[],
  now: Date,
): Promise<void> {
  if (messages.length === 0) return;
  const insert = db.prepare(
    `INSERT INTO outbox (idempotency_key, from_address, to_address, subject, headers, tags, html, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  await db.batch(
    messages.map(({ email, idempotencyKey }) =>
      insert.bind(
        idempotencyKey,
        email.from,
        email.to,
        email.subject,
        // The outbox shows what the provider would put on the message, Reply-To included.
        JSON.stringify({ ...email.headers, ...(email.replyTo ? { "Reply-To": email.replyTo } : {}) }),
        JSON.stringify(email.tags ?? []),
        email.html,
        email.text,
        now.toISOString(),
      ),
    ),
  );
}

/** Newest first. */
export async function listOutbox(db: D1Database, limit = 100): Promise<OutboxMessage[]> {
  const { results } = await db
    .prepare("SELECT * FROM outbox ORDER BY id DESC LIMIT ?")
    .bind(limit)
    .all<OutboxRow>();
  return results.map(toMessage);
}

/**
 * Erasure: local copies of mail to an address are personal data too. `address` is
 * canonical (lower case); mail stored before addresses were canonicalised may not be.
 */
export async function deleteOutboxMessagesTo(db: D1Database, address: string): Promise<void> {
  await db.prepare("DELETE FROM outbox WHERE lower(to_address) = ?").bind(address).run();
}
