/**
 * Sections 1 and 5: throughput of the feeds (and pages) against the constant Worker,
 * and workerd CPU time per request, from the same alternating load rounds.
 */
import type { ConstantResponse } from "../constant-worker.ts";
import { compareRounds, loadRound, type Comparison, type LoadOptions, type Target } from "../lib/load.ts";
import { num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";

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
export function probesFor(captured: Record<string, ConstantResponse>, feedPaths: readonly string[]): Probe[] {
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
export function missingRows(
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

export async function compareProbe(subject: Target, reference: Target, probe: Probe, settings: LoadSettings): Promise<Comparison> {
  const options: LoadOptions = {
    path: probe.path,
    seconds: settings.seconds,
    connections: settings.connections,
    expectStatus: probe.expectStatus,
    ...(probe.headers ? { headers: probe.headers } : {}),
  };
  const warm = { ...options, seconds: Math.min(0.5, settings.seconds) };
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

export function throughputRow(section: string, probe: Probe, comparison: Comparison, target = 0.9): Row {
  const { subject, reference } = comparison;
  const ratio = subject.rps / reference.rps;
  const failures = subject.failures + reference.failures;
  return {
    section,
    figure: `${probe.label} req/s`,
    measured: num(subject.rps) + (failures > 0 ? ` (${failures} failed requests)` : ""),
    reference: `constant Worker ${num(reference.rps)}`,
    ratio: num(ratio, 2),
    target: `≥ ${target}`,
    ok: ratio >= target && failures === 0,
  };
}

/** CPU limit on the free plan; "well under" is read as a tenth of it. */
const CPU_LIMIT_MS = 10;

export function cpuRow(probe: Probe, comparison: Comparison): Row {
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
