/**
 * Load rounds with autocannon. Each round reports requests per second and, when the
 * target is a workerd process we started, its CPU time per request over the round.
 */
import autocannon from "autocannon";
import { median } from "./stats.ts";

export interface Target {
  url: URL;
  /** CPU time of the serving process, if we can read it. */
  cpuNs?: () => number;
}

export interface RoundResult {
  rps: number;
  /** µs of serving-process CPU per request; NaN when unknown. */
  cpuUs: number;
  /** Responses with another status than expected, plus connection errors. */
  failures: number;
}

export interface LoadOptions {
  path: string;
  seconds: number;
  /** A fixed number of requests instead of `seconds`. */
  amount?: number;
  connections: number;
  expectStatus: number;
  headers?: Record<string, string>;
}

export async function loadRound(target: Target, options: LoadOptions): Promise<RoundResult> {
  const cpuBefore = target.cpuNs?.() ?? NaN;
  const result = await autocannon({
    url: new URL(options.path, target.url).href,
    connections: options.connections,
    duration: options.seconds,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const cpuAfter = target.cpuNs?.() ?? NaN;
  const total = result.requests.total;
  const expected = result.statusCodeStats[String(options.expectStatus)]?.count ?? 0;
  return {
    rps: total / result.duration,
    cpuUs: (cpuAfter - cpuBefore) / 1000 / total,
    failures: total - Number(expected) + result.errors,
  };
}

export interface Comparison {
  subject: RoundResult;
  reference: RoundResult;
  /** Median over rounds of subject rps / reference rps, each pair run back to back. */
  ratio: number;
}

/**
 * Alternates subject and reference round by round (ABBA order, so neither always goes
 * first on a noisy machine) after one short warm-up each; returns the medians and the
 * median of the per-round ratios. The machine's speed drifts by ±15 % over seconds (a
 * shared VM): a ratio taken within each back-to-back pair cancels the drift that a ratio
 * of two medians, each over the whole run, keeps.
 */
export async function compareRounds(
  rounds: number,
  subject: () => Promise<RoundResult>,
  reference: () => Promise<RoundResult>,
  warmUp: () => Promise<void>,
): Promise<Comparison> {
  await warmUp();
  const subjects: RoundResult[] = [];
  const references: RoundResult[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      subjects.push(await subject());
      references.push(await reference());
    } else {
      references.push(await reference());
      subjects.push(await subject());
    }
  }
  const ratios = subjects.map((result, round) => result.rps / references[round]!.rps);
  return { subject: medianRound(subjects), reference: medianRound(references), ratio: median(ratios) };
}

function medianRound(results: readonly RoundResult[]): RoundResult {
  return {
    rps: median(results.map((r) => r.rps)),
    cpuUs: median(results.map((r) => r.cpuUs)),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
  };
}
