/**
 * The RSS audience: feed fetchers of reader services report how many of their users
 * subscribe in their User-Agent ("Feedly/1.0 (…; 42 subscribers; …)"). Per Beijing day and
 * feed, each service's latest reported count is kept, and every other client counts as one
 * reader, identified only by a keyed hash of the day, its address and its User-Agent
 * (neither is stored; the daily key makes yesterday's hashes unlinkable to today's).
 *
 * Counting costs a polled feed nothing it waits for: the write runs after the response
 * (waitUntil), and a per-isolate memo skips a fetcher already written today, so a feed is
 * written at most once per fetcher per day per isolate (the upsert makes repeats harmless).
 */
import { getConfig } from "../config.ts";
import { log } from "../log.ts";
import { BEIJING_OFFSET_MS, beijingDate } from "../text/beijing-time.ts";
import { hmacSha256Hex } from "../text/sha256.ts";
import { recordAudience } from "./audience-store.ts";
import { feedFiles } from "./publication.ts";

export interface ReportedAudience {
  service: string;
  subscribers: number;
}

/** Services whose fetchers report a count, by a substring of their User-Agent (first match wins). */
const SERVICES: readonly { name: string; pattern: RegExp }[] = [
  { name: "Feedly", pattern: /feedly/i },
  { name: "Inoreader", pattern: /inoreader/i },
  { name: "NewsBlur", pattern: /newsblur/i },
  { name: "The Old Reader", pattern: /theoldreader/i },
  { name: "Feedbin", pattern: /feedbin/i },
  { name: "Bloglovin", pattern: /bloglovin/i },
  { name: "Feedspot", pattern: /feedspot/i },
  { name: "Netvibes", pattern: /netvibes/i },
  { name: "FeedHQ", pattern: /feedhq/i },
  { name: "Feed Wrangler", pattern: /feedwrangler/i },
  { name: "BazQux", pattern: /bazqux/i },
  { name: "Google Feedfetcher", pattern: /^feedfetcher-google/i },
];

const COUNT = /(\d{1,9})\s+(?:subscribers?|readers?)\b/i;
/** "(compatible; example.com; 3 subscribers)": the token before the count names the service. */
const COMPATIBLE = /compatible;\s*([A-Za-z0-9][\w .-]{0,39}?)\s*;\s*\d+\s+(?:subscribers?|readers?)/i;
const PRODUCT = /^([A-Za-z][\w.-]{0,39})/;

/** The service and count a fetcher's User-Agent reports; null for a client that reports none. */
export function reportedAudience(userAgent: string): ReportedAudience | null {
  const count = COUNT.exec(userAgent);
  if (!count) return null;
  const subscribers = Number(count[1]);
  const known = SERVICES.find((service) => service.pattern.test(userAgent));
  if (known) return { service: known.name, subscribers };
  const named = COMPATIBLE.exec(userAgent)?.[1] ?? PRODUCT.exec(userAgent)?.[1];
  if (!named || /^mozilla$/i.test(named)) return { service: "Other services", subscribers };
  return { service: named, subscribers };
}

const FEED_FILES = Object.values(feedFiles).map((file) => `/${file}`);

const ARCHIVE_PAGE = /\/archive\/\d+\/[^/]+$/;

/** Whether a URL without a query is a subscription feed (the site's or a tag's, not an archive page): what servePrepared counts. */
export const isFeedUrl = (url: string) => FEED_FILES.some((file) => url.endsWith(file)) && !ARCHIVE_PAGE.test(url);

/** Memo entries kept before the memo is emptied (a day's distinct fetchers, bounded: addresses are arbitrary). */
const MEMO_LIMIT = 20_000;
const DAY_MS = 86_400_000;
let memoDay = "";
/** When memoDay ends (ms): the hit path compares two numbers instead of formatting a date. */
let memoDayEnds = 0;
const writtenToday = new Set<string>();
/** User-Agents already read (a poller sends the same one every time), bounded like the memo. */
const readAgents = new Map<string, ReportedAudience | null>();

function readAgent(userAgent: string): ReportedAudience | null {
  let reported = readAgents.get(userAgent);
  if (reported === undefined) {
    if (readAgents.size >= MEMO_LIMIT) readAgents.clear();
    reported = reportedAudience(userAgent);
    readAgents.set(userAgent, reported);
  }
  return reported;
}

/**
 * Counts one fetch of `feed` (its path): returns at once, the D1 write (if this fetcher was
 * not yet written today in this isolate) is handed to `waitUntil`.
 */
export function countFeedFetch(env: Env, waitUntil: (promise: Promise<unknown>) => void, request: Request, feed: string, now = Date.now()): void {
  if (now >= memoDayEnds || now < memoDayEnds - DAY_MS || writtenToday.size >= MEMO_LIMIT) {
    memoDay = beijingDate(new Date(now));
    memoDayEnds = Date.parse(memoDay) + DAY_MS - BEIJING_OFFSET_MS;
    writtenToday.clear();
  }
  const day = memoDay;
  const headers = request.headers;
  const userAgent = headers.get("user-agent") ?? "";
  const reported = readAgent(userAgent);
  const address = reported ? "" : (headers.get("cf-connecting-ip") ?? "");
  const memoKey = reported ? `${feed}\n${reported.service}` : `${feed}\n${address}\n${userAgent}`;
  if (writtenToday.has(memoKey)) return;
  // Marked before the write: a failed write is not retried by the next fetch, so a D1 outage never turns every poll into a write.
  writtenToday.add(memoKey);
  waitUntil(
    (async () => {
      if (reported) {
        await recordAudience(env.DB, { day, feed, fetcher: reported.service, kind: "service", readers: reported.subscribers });
      } else {
        const client = await hmacSha256Hex(getConfig(env).signingSecret, `${day}\n${address}\n${userAgent}`);
        await recordAudience(env.DB, { day, feed, fetcher: `client:${client.slice(0, 16)}`, kind: "client", readers: 1 });
      }
    })().catch((error: unknown) => log.error("feed-audience-write-failed", { feed, error })),
  );
}

/** Forgets what this isolate wrote (tests start each case from an empty memo). */
export function resetAudienceMemo(): void {
  writtenToday.clear();
  memoDayEnds = 0;
}
