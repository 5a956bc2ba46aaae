/**
 * Section 3: a real send through the queue. The production build runs in workerd with
 * RESEND_API_KEY set and RESEND_BASE_URL pointing at the local fake (2 requests/s, Resend's
 * default, each answered 500 ms after it arrives, as a real batch request takes; ≤ 100 per batch); subscribers are seeded straight into the local D1; the operator
 * API opens the edition; we wait (bounded) until the fake has every recipient.
 */
import { items } from "../../src/content/collection.ts";
import { DEV_ADMIN_TOKEN } from "../../src/config.ts";
import { digests } from "../../src/digests/catalog.ts";
import { selectItems } from "../../src/digests/select.ts";
import { startFakeResend, type FakeResend } from "../fake-resend.ts";
import { APP_CONFIG, APP_VARS, type Build } from "../lib/build.ts";
import { migratedDatabase, type Database } from "../lib/d1.ts";
import { median, num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWorkerd, type Runtime } from "../lib/workerd.ts";

const SECTION = "3 send (workerd)";
const REQUESTS_PER_SECOND = 2;
const LATENCY_MS = 500;
const BATCH = 100;
export const DOMAIN = "bench.example";
const API_KEY = "re_bench_local";
/** After the last recipient arrived, how long we keep listening for duplicates. */
const SETTLE_MS = 2000;

export async function seedSubscribers(db: Database, digestId: string, count: number): Promise<void> {
  const now = new Date().toISOString();
  await db.batch([
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO subscribers (email, status, consent_at, consent_source, created_at, updated_at)
         SELECT 'reader' || i || '@${DOMAIN}', 'active', ?2, 'bench', ?2, ?2 FROM n`,
      )
      .bind(count, now),
    db
      .prepare("INSERT INTO subscriptions (subscriber_id, digest_id, created_at) SELECT id, ?1, ?2 FROM subscribers")
      .bind(digestId, now),
  ]);
}

/** The digest carrying the most items, so the emails are as large as this content makes them. */
export function largestDigest(): string {
  const sized = digests.map((d) => ({ id: d.id, n: selectItems(d, items, null).length }));
  return sized.reduce((a, b) => (b.n > a.n ? b : a)).id;
}

/** POST /api/sends as the operator: the status and the JSON answer. */
async function operatorSend(runtime: Runtime, body: Record<string, unknown>): Promise<{ status: number; body: { edition?: string } }> {
  const response = await fetch(new URL("/api/sends", runtime.url), {
    method: "POST",
    headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { edition?: string } };
}

export async function openSend(runtime: Runtime, digest: string): Promise<string> {
  const { status, body } = await operatorSend(runtime, { digest });
  if (status !== 202 || !body.edition) throw new Error(`POST /api/sends answered ${status}: ${JSON.stringify(body)}`);
  return body.edition;
}

/**
 * The console's confirmation page, through the API: a dry run of the send. It answers at
 * once; the edition's content is stored at the provider after (src/delivery/operator-sends.ts).
 */
export async function reviewSend(runtime: Runtime, digest: string): Promise<void> {
  const { status, body } = await operatorSend(runtime, { digest, dryRun: true });
  if (status !== 200) throw new Error(`POST /api/sends { dryRun } answered ${status}: ${JSON.stringify(body)}`);
}

async function ledgerCounts(runtime: Runtime, edition: string): Promise<string> {
  const response = await fetch(new URL(`/api/sends/${edition}`, runtime.url), {
    headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}` },
  });
  const body = (await response.json()) as { status?: string; counts?: Record<string, number> };
  return `edition ${body.status}, ledger ${JSON.stringify(body.counts ?? {})}`;
}

function tally(fake: FakeResend, count: number) {
  let duplicates = 0;
  let strangers = 0;
  for (const [to, times] of fake.stats.deliveries) {
    duplicates += times - 1;
    const id = /^reader(\d+)@/.exec(to)?.[1];
    if (!to.endsWith(`@${DOMAIN}`) || !id || Number(id) < 1 || Number(id) > count) strangers++;
  }
  return { duplicates, strangers, losses: count - (fake.stats.deliveries.size - strangers) };
}

/**
 * Where the time goes: until the provider accepted the first request (the operator call,
 * fan-out, the first queue invocation), then the pace, as the time from each accepted
 * request to the one a full window (REQUESTS_PER_SECOND requests) later: 1 s when the
 * sender loses nothing to pacing.
 */
function timeline(acceptedAt: readonly number[], started: number): Row {
  const windows = acceptedAt.slice(REQUESTS_PER_SECOND).map((at, i) => at - (acceptedAt[i] ?? at));
  const first = acceptedAt[0];
  const pace = windows.length > 0 ? median(windows) / 1000 : null;
  return {
    section: SECTION,
    figure: `where the time goes: first accepted request / request n to n + ${REQUESTS_PER_SECOND} (median)`,
    measured: `${first === undefined ? "none" : `${num((first - started) / 1000)} s`} / ${pace === null ? "n/a" : `${num(pace)} s`}`,
    reference: `one window: 1 s per ${REQUESTS_PER_SECOND} requests`,
    ratio: pace === null ? "" : num(pace, 2),
    target: "",
    ok: null,
  };
}

export async function sendRows(app: Build, count: number): Promise<Row[]> {
  const fake = await startFakeResend({ requestsPerSecond: REQUESTS_PER_SECOND, apiKey: API_KEY, latencyMs: LATENCY_MS });
  const runtime = await startWorkerd(app, {
    configPath: APP_CONFIG,
    bindings: { ...APP_VARS, RESEND_API_KEY: API_KEY, RESEND_BASE_URL: fake.url.origin },
  });
  try {
    const db = await migratedDatabase(runtime);
    const digest = largestDigest();
    await seedSubscribers(db, digest, count);

    const idealSeconds = count / BATCH / REQUESTS_PER_SECOND;
    const started = Date.now();
    const edition = await openSend(runtime, digest);
    const complete = await fake.waitForRecipients(count, (idealSeconds * 2 + 20) * 1000);
    const tookSeconds = ((fake.stats.acceptedAt.at(-1) ?? Date.now()) - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const { duplicates, strangers, losses } = tally(fake, count);
    const { accepted, rateLimited, replayed, rejected } = fake.stats;
    const rateRatio = idealSeconds / tookSeconds;
    const label = `${count.toLocaleString("en-US")} recipients of "${digest}"`;
    return [
      {
        section: SECTION,
        figure: `${label}: time, batches of ${BATCH} at ${REQUESTS_PER_SECOND} req/s, ${LATENCY_MS} ms a request`,
        measured: `${num(tookSeconds)} s${complete ? "" : " (timed out)"}`,
        reference: `ideal ${num(idealSeconds)} s`,
        ratio: `${num(rateRatio, 2)} of ideal rate`,
        target: "≥ 0.9",
        ok: complete && rateRatio >= 0.9,
      },
      timeline(fake.stats.acceptedAt, started),
      {
        section: SECTION,
        figure: `${label}: duplicates / losses / unknown addresses`,
        measured: `${duplicates} / ${losses} / ${strangers}`,
        reference: await ledgerCounts(runtime, edition),
        ratio: "",
        target: "0 / 0 / 0",
        ok: duplicates === 0 && losses === 0 && strangers === 0,
      },
      {
        section: SECTION,
        figure: "provider requests: accepted / 429 / idempotent replays / rejected",
        measured: `${accepted} / ${rateLimited} / ${replayed} / ${rejected}`,
        reference: `minimum ${Math.ceil(count / BATCH)} accepted`,
        ratio: "",
        target: "",
        ok: null,
      },
    ];
  } finally {
    await runtime.dispose();
    await fake.close();
  }
}
