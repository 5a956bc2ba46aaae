/** Transactional mail that was not sent (migrations/0007_mail_failures.sql), for the console. */

export type MailKind = "confirmation" | "welcome" | "goodbye";

export interface MailFailure {
  kind: MailKind;
  recipient: string;
  reason: string;
  failedAt: string;
}

export async function recordMailFailure(db: D1Database, failure: Omit<MailFailure, "failedAt">, now: Date): Promise<void> {
  await db
    .prepare("INSERT INTO mail_failures (kind, recipient, reason, failed_at) VALUES (?, ?, ?, ?)")
    .bind(failure.kind, failure.recipient, failure.reason, now.toISOString())
    .run();
}

/** The newest failures first. */
export async function recentMailFailures(db: D1Database, limit: number): Promise<MailFailure[]> {
  const { results } = await db
    .prepare("SELECT kind, recipient, reason, failed_at FROM mail_failures ORDER BY failed_at DESC, id DESC LIMIT ?")
    .bind(limit)
    .all<{ kind: MailKind; recipient: string; reason: string; failed_at: string }>();
  return results.map((row) => ({ kind: row.kind, recipient: row.recipient, reason: row.reason, failedAt: row.failed_at }));
}
