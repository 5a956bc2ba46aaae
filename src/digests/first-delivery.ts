/**
 * When a new subscriber's first email comes: the earliest next edition, among the digests
 * they chose, that will actually be sent (an edition with nothing new is skipped). Pure.
 */
import type { Digest } from "./catalog.ts";

export interface UpcomingEdition {
  digest: Digest;
  /** When its cron fires next; null for a schedule that never fires again. */
  at: Date | null;
  /** Whether that edition carries something, so the cron sends it. */
  wouldSend: boolean;
}

export interface FirstDelivery {
  at: Date;
  /** Every chosen digest sent at that moment (several digests may share a schedule). */
  digests: Digest[];
}

export function firstDelivery(upcoming: readonly UpcomingEdition[]): FirstDelivery | null {
  const due = upcoming.filter((u): u is UpcomingEdition & { at: Date } => u.wouldSend && u.at !== null);
  const first = Math.min(...due.map((u) => u.at.getTime()));
  if (!Number.isFinite(first)) return null;
  return { at: new Date(first), digests: due.filter((u) => u.at.getTime() === first).map((u) => u.digest) };
}
