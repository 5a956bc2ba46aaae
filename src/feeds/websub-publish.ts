/**
 * Publishing (W3C WebSub 7): when a new content version is live, every subscribed topic
 * whose body changed is delivered to each of its callbacks through the queue. Checked by
 * the maintenance cron and on an isolate's first request (so right after a deploy); the
 * stored content hash makes every later check one D1 read.
 *
 * Each topic is claimed (its new body hash written only if it differs) before its
 * deliveries are enqueued, so two isolates checking at once notify each topic once; the
 * content version is marked published last, so a check that died half-way is finished by
 * the next one.
 */
import { contentHash, items, type ContentItem } from "../content/collection.ts";
import { log } from "../log.ts";
import { sha256Hex } from "../text/sha256.ts";
import type { FeedView } from "./build-feeds.ts";
import { siteOfTopic } from "./websub-hub.ts";
import { enqueueWebSub } from "./websub-messages.ts";
import { claimTopicBody, deleteExpiredSubscriptions, lastPublishedContent, liveSubscriptions, markContentPublished, type WebSubSubscription } from "./websub-store.ts";
import { parseTopic, topicBody } from "./websub-topics.ts";

export interface ContentVersion {
  hash: string;
  items: readonly ContentItem[];
}

const liveContent: ContentVersion = { hash: contentHash, items };

/** Returns the topics notified (empty when the content version was already published). */
export async function publishNewContent(env: Env, now: Date, view: FeedView, content: ContentVersion = liveContent): Promise<string[]> {
  if ((await lastPublishedContent(env.DB)) === content.hash) return [];
  const byTopic = new Map<string, WebSubSubscription[]>();
  for (const subscription of await liveSubscriptions(env.DB, now)) {
    byTopic.set(subscription.topic, [...(byTopic.get(subscription.topic) ?? []), subscription]);
  }
  const notified: string[] = [];
  for (const [topic, subscriptions] of byTopic) {
    const siteUrl = siteOfTopic(topic);
    const feed = parseTopic(topic, siteUrl);
    if ("problem" in feed) {
      log.warn("websub-topic-gone", { topic, problem: feed.problem });
      continue;
    }
    const bodyHash = await sha256Hex(topicBody(siteUrl, feed, view, content.items).body);
    if (!(await claimTopicBody(env.DB, topic, bodyHash))) continue;
    await enqueueWebSub(
      env.WEBSUB_QUEUE,
      subscriptions.map((s) => ({ type: "deliver", topic, callback: s.callback })),
    );
    notified.push(topic);
  }
  await markContentPublished(env.DB, content.hash, now);
  log.info("websub-published", { contentHash: content.hash, topics: notified.length });
  return notified;
}

/** The maintenance cron's WebSub work: expired leases dropped, a new content version published. */
export async function websubMaintenance(env: Env, now: Date, view: FeedView): Promise<void> {
  const expired = await deleteExpiredSubscriptions(env.DB, now);
  if (expired > 0) log.info("websub-leases-expired", { subscriptions: expired });
  await publishNewContent(env, now, view);
}
