/**
 * Sections 1 and 5: throughput of the feeds (and pages) against the constant Worker,
 * and workerd CPU time per request, from the same alternating load rounds.
 */
import { items } from "../../src/content/collection.ts";
import type { ConstantResponse } from "../constant-worker.ts";
import { APP_CONFIG, APP_VARS, type Build } from "../lib/build.ts";
import { buildConstantWorker, captureResponse, type ConstantWorker } from "../lib/constant.ts";
import { compareRounds, loadRound, type Comparison, type LoadOptions, type Target } from "../lib/load.ts";
import { num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWranglerDev } from "../lib/wrangler-dev.ts";
import { migratedDatabase } from "../lib/d1.ts";
import { pinProcess, startWorkerd } from "../lib/workerd.ts";

export const FEED_PATHS = ["/rss.xml", "/atom.xml", "/feed.json"] as const;

export interface Probe {
  label: string;
  path: string;
  kind: "feed" | "page";
  expectStatus: number;
  headers?: Record<string, string>;
}

export interface LoadSettings {
  rounds: number;
  seconds: number;
  connections: number;
}

/** What to load: every captured 200 response, plus a revalidation of the RSS feed. */
function probesFor(captured: Record<string, ConstantResponse>, feedPaths: readonly string[]): Probe[] {
  const probes: Probe[] = [];
  for (const [path, response] of Object.entries(captured)) {
    if (response.status !== 200) continue;
    const kind = feedPaths.includes(path) ? "feed" : "page";
    probes.push({ label: path, path, kind, expectStatus: 200 });
    if (path === feedPaths[0] && response.notModified) {
      const headers = { "if-none-match": response.notModified.etag };
      probes.push({ label: `${path} 304 (If-None-Match)`, path, kind, expectStatus: 304, headers });
    }
  }
  return probes;
}

/** Paths that did not answer 200 are reported as failed rows, not silently skipped. */
function missingRows(
  runtime: string,
  captured: Record<string, ConstantResponse>,
  feedPaths: readonly string[],
): Row[] {
  return Object.entries(captured)
    .filter(([, response]) => response.status !== 200)
    .map(([path, response]) => ({
      section: `1 ${feedPaths.includes(path) ? "feeds" : "pages"} (${runtime})`,
      figure: `${path} req/s`,
      measured: `not served: HTTP ${response.status}`,
      reference: "",
      ratio: "",
      target: "≥ 0.9",
      ok: false,
    }));
}

async function compareProbe(subject: Target, reference: Target, probe: Probe, settings: LoadSettings): Promise<Comparison> {
  const options: LoadOptions = {
    path: probe.path,
    seconds: settings.seconds,
    connections: settings.connections,
    expectStatus: probe.expectStatus,
    ...(probe.headers ? { headers: probe.headers } : {}),
  };
  const warm = { ...options, amount: 2000 };
  return compareRounds(
    settings.rounds,
    () => loadRound(subject, options),
    () => loadRound(reference, options),
    async () => {
      await loadRound(subject, warm);
      await loadRound(reference, warm);
    },
  );
}

/** Status and body of one request, to check both Workers answer a probe with the same bytes. */
async function answer(target: Target, probe: Probe): Promise<string> {
  const response = await fetch(new URL(probe.path, target.url), probe.headers ? { headers: probe.headers } : {});
  return `${response.status}\n${Buffer.from(await response.arrayBuffer()).toString("base64")}`;
}

async function sameAnswers(subject: Target, reference: Target, probe: Probe): Promise<boolean> {
  const [a, b] = await Promise.all([answer(subject, probe), answer(reference, probe)]);
  return a === b;
}

function throughputRow(section: string, probe: Probe, comparison: Comparison, identical: boolean, target = 0.9): Row {
  const { subject, reference, ratio } = comparison;
  const failures = subject.failures + reference.failures;
  const notes = [failures > 0 ? `${failures} failed requests` : "", identical ? "" : "bytes differ from the constant's"].filter(Boolean);
  return {
    section,
    figure: `${probe.label} req/s`,
    measured: num(subject.rps) + (notes.length > 0 ? ` (${notes.join("; ")})` : ""),
    reference: `constant Worker ${num(reference.rps)}`,
    ratio: num(ratio, 2),
    target: `≥ ${target}`,
    ok: ratio >= target && failures === 0 && identical,
  };
}

/** CPU limit on the free plan; "well under" is read as a tenth of it. */
const CPU_LIMIT_MS = 10;

function cpuRow(probe: Probe, comparison: Comparison): Row {
  const { subject, reference } = comparison;
  const own = subject.cpuUs - reference.cpuUs;
  return {
    section: "5 CPU (workerd)",
    figure: `${probe.label} CPU/request`,
    measured: `${num(subject.cpuUs)} µs (Worker's own ≈ ${num(own)} µs)`,
    reference: `constant Worker ${num(reference.cpuUs)} µs`,
    ratio: num(subject.cpuUs / reference.cpuUs, 2),
    target: `≤ ${CPU_LIMIT_MS / 10} ms (free plan: ${CPU_LIMIT_MS} ms)`,
    ok: subject.cpuUs <= (CPU_LIMIT_MS / 10) * 1000,
  };
}

export interface ServingSetup {
  captured: Record<string, ConstantResponse>;
  probes: Probe[];
  constant: ConstantWorker;
}

/** Captures the real Worker's feeds and pages (from its production build) and builds the constant Worker. */
export async function prepareServing(app: Build): Promise<ServingSetup> {
  const pagePaths = ["/", ...(items[0] ? [`/articles/${items[0].slug}`] : [])];
  const real = await startWorkerd(app, { configPath: APP_CONFIG, bindings: APP_VARS });
  // A feed poll counts its reader (D1, after the answer) as in production: the tables must exist.
  await migratedDatabase(real);
  const captured: Record<string, ConstantResponse> = {};
  try {
    for (const path of [...FEED_PATHS, ...pagePaths]) captured[path] = await captureResponse(real.url, path);
  } finally {
    await real.dispose();
  }
  return { captured, probes: probesFor(captured, FEED_PATHS), constant: await buildConstantWorker(captured) };
}

/**
 * Sections 1 and 5 in plain workerd: throughput and CPU per request of every probe. Each
 * probe gets fresh runtimes, so what one probe left behind (100,000 revalidations' garbage,
 * JIT state) is not measured in the next: in one pair of runtimes for all probes, `/` after
 * the 304 probe read 0.74–0.88, alone 0.92–0.98.
 */
export async function workerdServingRows(app: Build, setup: ServingSetup, settings: LoadSettings, log: (m: string) => void): Promise<Row[]> {
  const rows = missingRows("workerd", setup.captured, FEED_PATHS);
  for (const probe of setup.probes) {
    log(`workerd: ${probe.label}`);
    const real = await startWorkerd(app, { configPath: APP_CONFIG, bindings: APP_VARS });
    await migratedDatabase(real);
    const constant = await startWorkerd(setup.constant.build, { configPath: setup.constant.configPath });
    // The Worker under load on core 0, this process (autocannon) on core 1; only one
    // Worker is loaded at a time, so subject and reference get the same core.
    real.pin("0");
    constant.pin("0");
    pinProcess(process.pid, "1");
    try {
      const identical = await sameAnswers(real, constant, probe);
      const comparison = await compareProbe(real, constant, probe, settings);
      rows.push(throughputRow(`1 ${probe.kind}s (workerd)`, probe, comparison, identical), cpuRow(probe, comparison));
    } finally {
      pinProcess(process.pid, "0-1");
      await Promise.all([real.dispose(), constant.dispose()]);
    }
  }
  return rows;
}

/** Section 1 under `wrangler dev`, what users run: the feeds (200) only. */
export async function wranglerDevRows(setup: ServingSetup, settings: LoadSettings, log: (m: string) => void): Promise<Row[]> {
  const rows = missingRows("wrangler dev", setup.captured, FEED_PATHS).filter((row) => row.section.includes("feeds"));
  const [real, constant] = await Promise.all([startWranglerDev(APP_CONFIG, APP_VARS), startWranglerDev(setup.constant.configPath)]);
  try {
    for (const probe of setup.probes.filter((p) => p.kind === "feed" && p.expectStatus === 200)) {
      log(`wrangler dev: ${probe.label}`);
      const identical = await sameAnswers(real, constant, probe);
      rows.push(throughputRow("1 feeds (wrangler dev)", probe, await compareProbe(real, constant, probe, settings), identical));
    }
  } finally {
    await Promise.all([real.stop(), constant.stop()]);
  }
  return rows;
}
