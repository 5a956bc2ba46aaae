/** The compiled content collection (newest first) and look-ups over it. */
import { contentHash, items } from "./generated.ts";
import type { ContentItem } from "./item.ts";

export type { ContentItem };
export { contentHash, items };

const bySlug = new Map(items.map((item) => [item.slug, item]));

export function getItem(slug: string): ContentItem | undefined {
  return bySlug.get(slug);
}

export function itemsWithTag(tag: string): ContentItem[] {
  return items.filter((item) => item.tags.includes(tag));
}

const tags = [...new Set(items.flatMap((item) => item.tags))].sort();

export function hasTag(tag: string): boolean {
  return tags.includes(tag);
}
