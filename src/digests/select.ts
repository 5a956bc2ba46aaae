/** Which items an edition carries, and which digests a cron firing is for. Pure. */
import type { ContentItem } from "../content/item.ts";
import { digests, type Digest } from "./catalog.ts";

/**
 * Criteria combine with AND; the values inside one criterion with OR (any of the
 * tags, any of the kinds). Named slugs keep their listed order; otherwise the
 * collection's order (newest first) is kept. "New" means added to this collection since
 * the last edition, whenever the source first published it.
 */
export function selectItems(digest: Digest, items: readonly ContentItem[], lastEditionAt: Date | null): ContentItem[] {
  const { tags, kinds, slugs, newSinceLastEdition } = digest.select;
  const candidates = slugs
    ? slugs.flatMap((slug) => items.filter((item) => item.slug === slug))
    : [...items];
  return candidates.filter(
    (item) =>
      (!tags || item.tags.some((tag) => tags.includes(tag))) &&
      (!kinds || kinds.includes(item.kind)) &&
      (!newSinceLastEdition || lastEditionAt === null || Date.parse(item.added) > lastEditionAt.getTime()),
  );
}

/** The digests scheduled on this cron expression (controller.cron of a scheduled event). */
export function digestsForCron(cron: string): Digest[] {
  return digests.filter((digest) => digest.schedule === cron);
}
