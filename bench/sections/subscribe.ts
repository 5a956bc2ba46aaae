/**
 * Section 6: no enumeration by timing. POST /api/subscribe to the production build in
 * workerd, for addresses in each state (new, and seeded pending, active, unsubscribed,
 * suppressed), interleaved round by round so every state sees the same machine; the
 * median latency per state is compared with the new address's, measured in the same run.
 * Each address is asked once (the per-address limit stays out of the way) from its own
 * client IP. The request's isolate only enqueues one message of the same shape for every
 * state; the mail queue's consumer (in the same local workerd process) records it and
 * sends the confirmation when one is due, and the next request waits until it has had
 * time to finish, so each answer is measured on a quiet runtime.
 */
import { APP_CONFIG, APP_VARS, type Build } from "../lib/build.ts";
import { migratedDatabase, type Database } from "../lib/d1.ts";
import { median, num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWorkerd, type Runtime } from "../lib/workerd.ts";

const SECTION = "6 subscribe (workerd)";
const DOMAIN = "timing.bench.example";
const SEEDED = ["pending", "active", "unsubscribed", "suppressed"] as const;
const STATES = ["new", ...SEEDED] as const;
type State = (typeof STATES)[number];
/** Time left to the mail consumer of one request before the next is sent. */
const PAUSE_MS = 250;
/** Within this band of the new address's median, a state's answer says nothing about it. */
const BAND = { low: 0.8, high: 1.25 };

const address = (state: State, round: number) => `${state}${round}@${DOMAIN}`;

async function seed(db: Database, samples: number): Promise<void> {
  const now = new Date().toISOString();
  await db.batch(
    SEEDED.flatMap((state) => [
      db
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
           INSERT INTO subscribers (email, status, consent_at, consent_source, created_at, updated_at)
           SELECT ?2 || i || '@${DOMAIN}', ?2, CASE WHEN ?2 = 'pending' THEN NULL ELSE ?3 END, 'bench', ?3, ?3 FROM n`,
        )
        .bind(samples, state, now),
    ]),
  );
  await db
    .prepare("INSERT INTO subscriptions (subscriber_id, digest_id, created_at) SELECT id, 'weekly', ?1 FROM subscribers")
    .bind(now)
    .run();
}

async function subscribeMs(runtime: Runtime, email: string, ip: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(new URL("/api/subscribe", runtime.url), {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ email }),
  });
  await response.arrayBuffer();
  const took = performance.now() - started;
  if (response.status !== 202) throw new Error(`POST /api/subscribe for ${email} answered ${response.status}`);
  return took;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function subscribeRows(app: Build, samples: number): Promise<Row[]> {
  const runtime = await startWorkerd(app, { configPath: APP_CONFIG, bindings: APP_VARS });
  try {
    await seed(await migratedDatabase(runtime), samples);
    let ip = 0;
    const nextIp = () => `10.6.${Math.floor(++ip / 250)}.${ip % 250}`;
    // Warm-up: the first confirmation loads React Email (seconds), off the measured path.
    await subscribeMs(runtime, `warmup@${DOMAIN}`, nextIp());
    await pause(3000);

    const times = new Map<State, number[]>(STATES.map((state) => [state, []]));
    for (let round = 0; round < samples; round++) {
      // Rotate the order so no state always follows the same one.
      const order = STATES.map((_, i) => STATES[(i + round) % STATES.length]!);
      for (const state of order) {
        times.get(state)!.push(await subscribeMs(runtime, address(state, round), nextIp()));
        await pause(PAUSE_MS);
      }
    }

    const reference = median(times.get("new")!);
    return STATES.map((state) => {
      const measured = median(times.get(state)!);
      const ratio = measured / reference;
      return {
        section: SECTION,
        figure: `POST /api/subscribe, ${state} address: median answer (${samples} samples)`,
        measured: `${num(measured)} ms`,
        reference: `new address ${num(reference)} ms`,
        ratio: num(ratio, 2),
        target: `${BAND.low}–${BAND.high}`,
        ok: state === "new" ? null : ratio >= BAND.low && ratio <= BAND.high,
      };
    });
  } finally {
    await runtime.dispose();
  }
}
