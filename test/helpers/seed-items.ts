/** The two curated seed items, as the Worker serves them. */
import { getItem, type ContentItem } from "../../src/content/collection.ts";

function mustGet(slug: string): ContentItem {
  const item = getItem(slug);
  if (!item) throw new Error(`content item ${slug} missing: run npm run build:content`);
  return item;
}

export const interview = mustGet("zhang-hongjiang-interview");
export const event = mustGet("waic-ai-developer-forum-2021");
/** From the last section of the interview: pages and feeds carry the whole text, not a teaser. */
export const DEEP_SENTENCE = "北京市的人工智能保持全国第一，或者是重大的人工智能突破发生在北京，沿着这个思路，智源就有存在的价值。";
