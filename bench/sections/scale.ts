/**
 * Section 7 (opt-in: `npm run bench -- --scale`): digests at the provider's full rate.
 * For each provider limit × latency, the production build in workerd sends one edition
 * to BENCH_SCALE_READERS readers (100,000) through the local fake Resend, which counts
 * each request when it arrives and answers `latency` later, announcing its limit in
 * ratelimit-* headers. While the send runs, new readers subscribe (one every
 * SUBSCRIBE_EVERY_MS, 5 s); each confirmation is timed from the POST to the fake accepting it.
 *
 * The operator reviews the send first, as in the console (a dry run: the edition's template
 * is stored meanwhile), then confirms. Printed per point: the share of the limit used
 * (requests accepted, the confirmations and template calls during the send among them,
 * ÷ limit × the time from the confirmation opening the edition to the provider accepting
 * its last batch), the digests' own share (ideal time ÷ that time), and the
 * confirmations' p95. The grid
 * (BENCH_SCALE_GRID, "limit×latency" pairs, e.g. "10x500,2x1000") defaults to every pair of
 * 2, 5, 10, 50 req/s and 100, 500, 1000 ms: at 100,000 readers about 40 minutes of sending.
 * BENCH_SCALE_SECONDS (e.g. 10) sends only that many seconds' worth at each point's limit.
 */
import { request as httpRequest } from "node:http";
import { startFakeResend, type FakeResend } from "../fake-resend.ts";
import { APP_CONFIG, APP_VARS, type Build } from "../lib/build.ts";
import { migratedDatabase } from "../lib/d1.ts";
import { num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWorkerd, type Runtime } from "../lib/workerd.ts";
import { DOMAIN, largestDigest, openSend, reviewSend, seedSubscribers } from "./send.ts";

const SECTION = "7 scale (workerd)";
const BATCH = 100;
const API_KEY = "re_bench_local";
const LIMITS = [2, 5, 10, 50];
const LATENCIES_MS = [100, 500, 1000];
/** A new reader subscribes this often while the send runs: a tenth of the slots at 2 req/s. */
const SUBSCRIBE_EVERY_MS = 5000;
const CONFIRMATION_P95_TARGET_MS = 5000;
/**
 * How long the operator reads the console's confirmation page before confirming: the
 * edition's content is stored at the provider meanwhile (two requests, one latency each).
 */
const OPERATOR_REVIEW_MS = 3000;
/** max_concurrency (20) × the six requests a production invocation keeps in flight. */
const LOCAL_IN_FLIGHT = 120;

export interface ScalePoint {
  limit: number;
  latencyMs: number;
}

/** "10x500,2x1000" → points; empty → the whole grid. */
export function scaleGrid(spec: string | undefined): ScalePoint[] {
  if (!spec?.trim()) return LIMITS.flatMap((limit) => LATENCIES_MS.map((latencyMs) => ({ limit, latencyMs })));
  return spec.split(",").map((pair) => {
    const [limit, latencyMs] = pair.trim().split("x").map(Number);
    if (!limit || latencyMs === undefined || Number.isNaN(latencyMs)) throw new Error(`BENCH_SCALE_GRID: "${pair}" is not limit×latency, e.g. 10x500`);
    return { limit, latencyMs };
  });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? NaN;
}

/**
 * A JSON POST on a connection of its own: a reused keep-alive connection that workerd
 * closed while idle fails the request on the client's side, which says nothing about the Worker.
 */
function postOnNewConnection(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", agent: false, headers: { "content-type": "application/json", ...headers } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Subscribes `email` and resolves with the ms until the fake accepted its confirmation (null: not within `timeoutMs`). */
async function confirmationMs(runtime: Runtime, fake: FakeResend, email: string, ip: string, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  const status = await postOnNewConnection(new URL("/api/subscribe", runtime.url), JSON.stringify({ email }), { "cf-connecting-ip": ip });
  if (status !== 202) throw new Error(`POST /api/subscribe for ${email} answered ${status}`);
  while (Date.now() - started < timeoutMs) {
    const at = fake.stats.firstAcceptedAt.get(email);
    if (at !== undefined) return at - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

/** Requests accepted in each second from `start`: where the time of a send goes. */
function perSecond(times: readonly number[], start: number): number[] {
  const counts: number[] = [];
  for (const at of times) {
    const second = Math.floor((at - start) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

async function measurePoint(app: Build, { limit, latencyMs }: ScalePoint, readers: number, log: (message: string) => void): Promise<Row[]> {
  const fake = await startFakeResend({ requestsPerSecond: limit, apiKey: API_KEY, latencyMs });
  const runtime = await startWorkerd(app, {
    configPath: APP_CONFIG,
    // Miniflare runs one invocation of a queue at a time; in production up to twenty run at
    // once, six requests in flight each. One local invocation may keep that many in flight.
    bindings: { ...APP_VARS, RESEND_API_KEY: API_KEY, RESEND_BASE_URL: fake.url.origin, PROVIDER_MAX_IN_FLIGHT: String(LOCAL_IN_FLIGHT) },
  });
  const label = `${limit} req/s, ${latencyMs} ms`;
  try {
    const digest = largestDigest();
    await seedSubscribers(await migratedDatabase(runtime), digest, readers);
    const requests = Math.ceil(readers / BATCH);
    const idealSeconds = requests / limit;
    log(`scale ${label}: ${readers.toLocaleString("en-US")} readers, ideal ${num(idealSeconds)} s`);

    // As in the console: the operator reviews the send (its confirmation page stores the
    // edition's content at the provider meanwhile), then confirms. Timed from the confirmation.
    await reviewSend(runtime, digest);
    await new Promise((resolve) => setTimeout(resolve, OPERATOR_REVIEW_MS));
    const templatesBefore = fake.stats.templateRequests;
    const started = Date.now();
    await openSend(runtime, digest);
    // Confirmations during the send, from the first accepted batch until 95 % of the readers have theirs.
    const confirmations: Promise<number | null>[] = [];
    const readersDelivered = () => fake.stats.deliveries.size - confirmations.length;
    let n = 0;
    while (readersDelivered() < readers && Date.now() - started < (idealSeconds * 3 + 60) * 1000) {
      if (fake.stats.accepted > 0 && readersDelivered() < readers * 0.95) {
        n++;
        const email = `new${n}@confirm.${DOMAIN}`;
        const timing = confirmationMs(runtime, fake, email, `10.7.${Math.floor(n / 250)}.${n % 250}`, 60_000).catch((error: unknown) => {
          log(`scale ${label}: subscribing ${email} failed: ${String(error)}`);
          return null;
        });
        confirmations.push(timing);
      }
      await new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_EVERY_MS));
    }
    const readerTimes = [...fake.stats.firstAcceptedAt].filter(([to]) => to.startsWith("reader")).map(([, at]) => at);
    const tookSeconds = (Math.max(...readerTimes) - started) / 1000;
    const delivered = readerTimes.length;
    const timings = await Promise.all(confirmations);
    const confirmed = timings.filter((t): t is number => t !== null);
    const share = idealSeconds / tookSeconds;
    log(`scale ${label}: requests accepted per second from opening: ${perSecond(fake.stats.acceptedAt, started).join(" ")}`);
    // The limit is the account's: confirmations sent during the send (they go first) and the
    // template calls take slots too. The share of the limit used counts every accepted request.
    const end = Math.max(...readerTimes);
    const templatesDuringSend = fake.stats.templateRequests - templatesBefore;
    const used = fake.stats.acceptedAt.filter((at) => at >= started && at <= end).length + templatesDuringSend;
    const usedShare = used / (limit * tookSeconds);
    // Once sending: from the first digest batch accepted to the last (the start-up, opening the
    // edition and storing its template, is one or two latencies whatever the list's size).
    const first = Math.min(...readerTimes);
    const sendingSeconds = (end - first) / 1000;
    const sendingShare = fake.stats.acceptedAt.filter((at) => at >= first && at <= end).length / (limit * sendingSeconds);
    const p95 = confirmed.length > 0 ? percentile(confirmed, 0.95) : NaN;
    const { rateLimited, replayed } = fake.stats;
    return [
      {
        section: SECTION,
        figure: `${label}: ${readers.toLocaleString("en-US")} readers, share of the limit used (${requests} digest requests)`,
        measured: `${num(tookSeconds)} s${delivered < readers ? ` (${delivered} of ${readers} delivered)` : ""}; ${rateLimited} × 429, ${replayed} replays, ${templatesBefore} template calls while the operator reviewed, ${templatesDuringSend} during the send; ${num(fake.stats.bytes / fake.stats.requests / 1024)} KiB a request`,
        reference: `ideal ${num(idealSeconds)} s; digests alone ${num(share, 2)} of the limit; first batch accepted ${num((first - started) / 1000)} s after opening, ${num(sendingShare, 2)} of the limit from then on`,
        ratio: num(usedShare, 2),
        target: "≥ 0.9",
        ok: delivered === readers && usedShare >= 0.9,
      },
      {
        section: SECTION,
        figure: `${label}: confirmation p95 during the send (subscribe → provider accepts)`,
        measured: `${num(p95)} ms (${confirmed.length} of ${timings.length} confirmed)`,
        reference: `max ${num(Math.max(...confirmed))} ms`,
        ratio: "",
        target: `≤ ${CONFIRMATION_P95_TARGET_MS} ms`,
        ok: confirmed.length === timings.length && confirmed.length > 0 && p95 <= CONFIRMATION_P95_TARGET_MS,
      },
    ];
  } finally {
    await runtime.dispose();
    await fake.close();
  }
}

/**
 * `readers` per point, or with `idealSeconds` only as many as that many seconds of sending
 * at the point's limit (a short run of the grid: 10 s is 2,000 readers at 2 req/s, 50,000 at 50).
 */
export async function scaleRows(
  app: Build,
  { readers, idealSeconds }: { readers: number; idealSeconds: number | null },
  grid: ScalePoint[],
  log: (message: string) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const point of grid) {
    const count = idealSeconds === null ? readers : Math.min(readers, point.limit * idealSeconds * BATCH);
    rows.push(...(await measurePoint(app, point, count, log)));
  }
  return rows;
}
