/**
 * What a digest's next edition will be: when it is due and which items it carries.
 * Shared by the preview and the public "next" web version, so both show the same thing.
 */
import { getItem, items as collection } from "../content/collection.ts";
import type { ContentItem } from "../content/item.ts";
import { beijingDate } from "../text/beijing-time.ts";
import type { Digest } from "./catalog.ts";
import { nextRun, parseCron } from "./cron.ts";
import type { EditionRef } from "./digest-view.ts";
import { getLatestEdition, type Edition } from "./editions-store.ts";
import type { UpcomingEdition } from "./first-delivery.ts";
import { selectItems } from "./select.ts";

/** Edition id of the upcoming, not yet sent edition: /digests/:id/editions/next. */
export const NEXT_EDITION_ID = "next";

/** When the digest's cron fires next after `now` (null only for a schedule that never fires). */
export function nextRunOf(digest: Digest, now: Date): Date | null {
  const parsed = parseCron(digest.schedule);
  return parsed.ok ? nextRun(parsed.schedule, now) : null;
}

/** The date an edition carries: its scheduled time, or when an operator opened it. */
export function editionDate(edition: Edition): string {
  return beijingDate(new Date(edition.scheduledFor ?? edition.createdAt));
}

/** The items an edition carries; one removed from content/ since it opened is left out rather than failing. */
export function editionItems(edition: Edition): ContentItem[] {
  return edition.itemSlugs.flatMap((slug) => getItem(slug) ?? []);
}

export interface NextEdition {
  edition: EditionRef;
  /** When the cron will send it (now for a schedule that never fires): its events are previewed as of then. */
  sendAt: Date;
  items: ContentItem[];
  /** Would the cron send it? (An empty edition is skipped unless the digest says sendWhenEmpty.) */
  wouldSend: boolean;
}

export async function nextEdition(db: D1Database, digest: Digest, now: Date): Promise<NextEdition> {
  return nextEditionAfter(digest, await getLatestEdition(db, digest.id), now);
}

/** The next edition after `last` (null before the first): all it depends on besides the content. */
export function nextEditionAfter(digest: Digest, last: Edition | null, now: Date): NextEdition {
  const items = selectItems(digest, collection, last ? new Date(last.createdAt) : null);
  const sendAt = nextRunOf(digest, now) ?? now;
  return {
    edition: { id: NEXT_EDITION_ID, date: beijingDate(sendAt) },
    sendAt,
    items,
    wouldSend: items.length > 0 || digest.sendWhenEmpty,
  };
}

/** Each digest's next edition: when it is due and whether it would be sent (for "your first email comes on…"). */
export function upcomingEditions(db: D1Database, chosen: readonly Digest[], now: Date): Promise<UpcomingEdition[]> {
  return Promise.all(
    chosen.map(async (digest) => ({ digest, at: nextRunOf(digest, now), wouldSend: (await nextEdition(db, digest, now)).wouldSend })),
  );
}
