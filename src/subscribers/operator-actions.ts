/**
 * Operator actions on subscribers that span more than one store, independent of HTTP:
 * the operator API (src/routes/subscribers-admin.ts) and the console call these.
 */
import { deleteOutboxMessagesTo } from "../email/outbox-store.ts";
import { toCsv } from "./csv.ts";
import { erase, listSubscribers } from "./operator-store.ts";
import type { Subscriber } from "./store.ts";

/** Erases the subscriber and their mail in the local outbox (personal data too). False when unknown. */
export async function eraseSubscriber(db: D1Database, email: string, now: Date): Promise<boolean> {
  if (!(await erase(db, email, now))) return false;
  await deleteOutboxMessagesTo(db, email);
  return true;
}

/** Every subscriber as CSV, oldest first. */
export async function subscribersCsv(db: D1Database): Promise<string> {
  const rows: string[][] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: { subscribers: Subscriber[]; nextAfter: number | null } = await listSubscribers(db, { after, limit: 500 });
    for (const s of page.subscribers) {
      rows.push([s.email, s.status, s.digests.join(";"), s.consentAt ?? "", s.consentSource ?? "", s.createdAt]);
    }
    after = page.nextAfter;
  }
  return toCsv(["email", "status", "digests", "consent_at", "consent_source", "created_at"], rows);
}

export const CSV_EXPORT_HEADERS = {
  "Content-Type": "text/csv; charset=utf-8",
  "Content-Disposition": 'attachment; filename="subscribers.csv"',
};
