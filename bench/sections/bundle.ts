/** Section 4: bundle size against the Workers limits, and cold start against the constant Worker. */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Build } from "../lib/build.ts";
import { median, num, kib } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWorkerd } from "../lib/workerd.ts";

const MiB = 1024 * 1024;
const GZIP_TARGET_KIB = 200;
/** Cold start at most this many times the constant Worker's (fresh workerd → first response). */
const COLD_START_TARGET_RATIO = 1.5;

export function bundleRows(build: Build): Row[] {
  const script = readFileSync(build.script);
  const gzip = gzipSync(script).length;
  return [
    {
      section: "4 bundle",
      figure: "Worker size, raw",
      measured: kib(script.length),
      reference: "",
      ratio: "",
      target: "",
      ok: null,
    },
    {
      section: "4 bundle",
      figure: "Worker size, gzip",
      measured: kib(gzip),
      reference: `limits: 3 MiB free, 10 MiB paid (gzip)`,
      ratio: `${num((gzip / (3 * MiB)) * 100, 2)} % of free`,
      target: `< ${GZIP_TARGET_KIB} KiB`,
      ok: gzip < GZIP_TARGET_KIB * 1024,
    },
  ];
}

interface ColdStartSubject {
  build: Build;
  configPath: string;
  bindings?: Record<string, unknown>;
  path: string;
}

/**
 * At least this many rounds: one cold start is a single sample of a process launch on a
 * shared VM, and a median of five moved the ratio between 1.4 and 2.5 across runs.
 */
const MIN_COLD_START_ROUNDS = 21;

/** Fresh workerd process → first response body fully read, in ms. */
async function coldStartMs(subject: ColdStartSubject): Promise<number> {
  const started = performance.now();
  const runtime = await startWorkerd(subject.build, { configPath: subject.configPath, ...(subject.bindings ? { bindings: subject.bindings } : {}) });
  try {
    const response = await fetch(new URL(subject.path, runtime.url));
    await response.arrayBuffer();
    return performance.now() - started;
  } finally {
    await runtime.dispose();
  }
}

/**
 * The judged pair runs with the same wrangler config: Miniflare starts local D1 and Queues
 * services inside the workerd process, which costs about as much as the Worker itself,
 * while on Cloudflare bindings are remote services that cost a cold isolate nothing. The
 * constant Worker without bindings is measured too, in the same rotation, so the table
 * shows what the local bindings add.
 */
export async function coldStartRows(
  app: ColdStartSubject,
  constant: ColdStartSubject,
  bareConstant: ColdStartSubject,
  rounds: number,
): Promise<Row[]> {
  const subjects = [app, constant, bareConstant];
  const times = subjects.map((): number[] => []);
  for (let round = 0; round < Math.max(rounds, MIN_COLD_START_ROUNDS); round++) {
    // Rotate the order so no subject always starts first (or right after another's exit).
    for (let offset = 0; offset < subjects.length; offset++) {
      const index = (round + offset) % subjects.length;
      times[index]!.push(await coldStartMs(subjects[index]!));
    }
  }
  const [measured, reference, bare] = times.map(median) as [number, number, number];
  // Judged like the throughput ratios: the median of each round's own ratio (one round's
  // starts run back to back), so the machine's drift over the section cancels out.
  const ratio = median(times[0]!.map((ms, round) => ms / times[1]![round]!));
  return [
    {
      section: "4 cold start",
      figure: `fresh workerd → first ${app.path} response`,
      measured: `${num(measured)} ms`,
      reference: `constant Worker with the same bindings ${num(reference)} ms`,
      ratio: num(ratio, 2),
      target: `≤ ${COLD_START_TARGET_RATIO}`,
      ok: ratio <= COLD_START_TARGET_RATIO,
    },
    {
      section: "4 cold start",
      figure: `the same, constant Worker without bindings (local D1 and Queues not started)`,
      measured: `${num(bare)} ms`,
      reference: `with bindings ${num(reference)} ms`,
      ratio: num(bare / reference, 2),
      target: "",
      ok: null,
    },
  ];
}
