/**
 * The hook between a ledger batch and its rendering: which of the edition's items each
 * recipient gets, decided by src/digests/repeats.ts from the editions that opened in
 * the last 14 days and the recipients' subscriptions. Two queries per batch, and only
 * one when no earlier edition shares an item with this one.
 */
import type { Edition } from "../digests/editions-store.ts";
import { earlierEditionsSharingItems } from "../digests/editions-store.ts";
import { repeatWindowStart, unseenItems } from "../digests/repeats.ts";
import { receivingSince } from "../subscribers/store.ts";

/** Each subscriber's items (slugs, in the edition's order), keyed by subscriber id. */
export async function recipientItems(db: D1Database, edition: Edition, subscriberIds: readonly number[]): Promise<Map<number, string[]>> {
  const windowStart = repeatWindowStart(new Date(edition.createdAt));
  const earlier = await earlierEditionsSharingItems(db, edition, windowStart);
  if (earlier.length === 0 || subscriberIds.length === 0) return new Map(subscriberIds.map((id) => [id, edition.itemSlugs]));
  const receiving = await receivingSince(db, subscriberIds, windowStart);
  return new Map(subscriberIds.map((id) => [id, unseenItems(edition.itemSlugs, earlier, receiving.get(id) ?? [])]));
}

/**
 * A reader with nothing new gets no email: every item of the edition reached them lately.
 * An edition without items (a digest that sends when empty) is not "nothing new" to anyone.
 */
export const nothingNewFor = (edition: Edition, items: readonly string[] | undefined): boolean =>
  edition.itemSlugs.length > 0 && items !== undefined && items.length === 0;
