/**
 * Each item once: which of an edition's items a reader has not had yet. Pure.
 *
 * No per-reader history is kept. What a reader got lately follows from the editions
 * (which items each carried, when it opened) and their subscriptions (to which digest,
 * since when, and for digests left lately, until when): they got an earlier edition's
 * items when they received its digest as it opened. So readers of an edition fall into
 * a few variants, one per combination of overlapping digests they read, and each
 * variant is rendered once.
 */

/** How far back an item counts as already sent: within this many days it is not sent again. */
export const REPEAT_WINDOW_DAYS = 14;

/** An edition that opened before this one, within the window, sharing items with it. */
export interface EarlierEdition {
  digestId: string;
  /** When it opened (ISO): its recipients are who received its digest then. */
  openedAt: string;
  itemSlugs: readonly string[];
}

/**
 * A digest a reader receives, or received lately, and when (ISO): since the later of
 * choosing it and confirming; until they left it (null while they still receive it).
 */
export interface Receiving {
  digestId: string;
  since: string;
  until: string | null;
}

/** The start of the window for an edition opened at `openedAt`. */
export function repeatWindowStart(openedAt: Date): Date {
  return new Date(openedAt.getTime() - REPEAT_WINDOW_DAYS * 24 * 60 * 60 * 1000);
}

/** The edition's items, in its order, minus those the reader got from the earlier editions. */
export function unseenItems(itemSlugs: readonly string[], earlier: readonly EarlierEdition[], receiving: readonly Receiving[]): string[] {
  const seen = new Set<string>();
  for (const edition of earlier) {
    const opened = Date.parse(edition.openedAt);
    const received = receiving.some(
      (r) => r.digestId === edition.digestId && Date.parse(r.since) <= opened && (r.until === null || opened < Date.parse(r.until)),
    );
    if (received) for (const slug of edition.itemSlugs) seen.add(slug);
  }
  return itemSlugs.filter((slug) => !seen.has(slug));
}

/** A variant's key: the same items give the same key (the items are in the edition's order). */
export const variantKey = (itemSlugs: readonly string[]): string => itemSlugs.join("\n");
