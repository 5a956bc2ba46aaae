/**
 * How often the feeds get new items, from the digests' schedules, and the view of a
 * subscription feed built from it: shared by the feed routes and the WebSub hub, so the
 * body a subscriber is sent is the one the feed URL serves.
 */
import type { FeedView } from "../feeds/build-feeds.ts";
import { digests } from "./catalog.ts";
import { firesPerWeek, parseCron } from "./cron.ts";

/** New items come with the digests' sends: how many a week, for RSS's ttl and sy: schedule. */
export const updatesPerWeek = digests.reduce((sum, digest) => {
  const parsed = parseCron(digest.schedule);
  return sum + (parsed.ok ? firesPerWeek(parsed.schedule) : 0);
}, 0);

/** A subscription feed (the latest `pageSize` items): what /rss.xml and the tag feeds serve. */
export const currentFeedView = (pageSize: number): FeedView => ({ document: { kind: "current" }, pageSize, updatesPerWeek });
