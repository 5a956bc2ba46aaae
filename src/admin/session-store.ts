/** D1 access to console sessions (migrations/0009): a session is live while its row is here and unexpired. */

export async function insertSession(db: D1Database, session: { id: string; expiresAt: number }, now: Date): Promise<void> {
  await db.batch([
    db.prepare("INSERT INTO console_sessions (id, expires_at, created_at) VALUES (?, ?, ?)").bind(session.id, session.expiresAt, now.toISOString()),
    // Expired rows go on the way: sign-ins are rare, so this keeps the table to live sessions.
    db.prepare("DELETE FROM console_sessions WHERE expires_at <= ?").bind(Math.floor(now.getTime() / 1000)),
  ]);
}

export async function sessionIsLive(db: D1Database, id: string, now: Date): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS live FROM console_sessions WHERE id = ? AND expires_at > ?")
    .bind(id, Math.floor(now.getTime() / 1000))
    .first<{ live: number }>();
  return row !== null;
}

/** Signing out: this session only. */
export async function deleteSession(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM console_sessions WHERE id = ?").bind(id).run();
}

/** Signing out everywhere: every session, this one included. */
export async function deleteAllSessions(db: D1Database): Promise<void> {
  await db.prepare("DELETE FROM console_sessions").run();
}
