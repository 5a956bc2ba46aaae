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
  bindings?: Record<string, string>;
  path: string;
}

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

export async function coldStartRow(app: ColdStartSubject, constant: ColdStartSubject, rounds: number): Promise<Row> {
  const appMs: number[] = [];
  const constantMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const pair = round % 2 === 0 ? [app, constant] : [constant, app];
    for (const subject of pair) (subject === app ? appMs : constantMs).push(await coldStartMs(subject));
  }
  const measured = median(appMs);
  const reference = median(constantMs);
  return {
    section: "4 cold start",
    figure: `fresh workerd → first ${app.path} response`,
    measured: `${num(measured)} ms`,
    reference: `constant Worker ${num(reference)} ms`,
    ratio: num(measured / reference, 2),
    target: `≤ ${COLD_START_TARGET_RATIO}`,
    ok: measured / reference <= COLD_START_TARGET_RATIO,
  };
}
