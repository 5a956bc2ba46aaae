/**
 * Runs a production bundle in plain workerd through Miniflare's API: no wrangler dev
 * proxy, and a direct socket to the Worker (not through Miniflare's entry Worker), so
 * the figures show the Worker's own cost. Each runtime is its own workerd process,
 * whose CPU time is read from /proc.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import type { Build } from "./build.ts";

export interface Runtime {
  url: URL;
  miniflare: Miniflare;
  /** CPU time the workerd process has used so far, in nanoseconds. */
  cpuNs(): number;
  /** Restricts the workerd process (all its threads) to the given CPUs, e.g. "0". */
  pin(cpus: string): void;
  dispose(): Promise<void>;
}

function workerdChildren(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) pids.add(Number(entry));
    } catch {
      // The process ended while we listed /proc.
    }
  }
  return pids;
}

/**
 * Time on CPU of all the process's threads, in ns, from the scheduler's own accounting
 * (/proc/<pid>/task/<tid>/schedstat), finer than the 10 ms ticks of /proc/<pid>/stat.
 * workerd's threads live as long as the process, so none is missed by exiting.
 */
function processCpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended while we listed them.
    }
  }
  return total;
}

export interface StartOptions {
  /** wrangler config whose bindings (vars, D1, queues) the Worker gets. */
  configPath: string;
  /** Extra or overriding plain bindings (vars and secrets). */
  bindings?: Record<string, unknown>;
}

/**
 * CPU affinity of a process and all its threads (Linux taskset). On 2 cores, keeping the
 * Worker and the load generator on separate cores stops them stealing each other's time,
 * which otherwise moves throughput ratios by ±0.15 between runs.
 */
export function pinProcess(pid: number, cpus: string): void {
  execFileSync("taskset", ["--all-tasks", "--cpu-list", "--pid", cpus, String(pid)], { stdio: "ignore" });
}

export async function startWorkerd(build: Build, options: StartOptions): Promise<Runtime> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(options.configPath);
  const before = workerdChildren();
  const miniflare = new Miniflare({
    ...(workerOptions as object),
    name: "bench",
    // Listed, not located: Miniflare would otherwise chase the dynamic
    // import("@react-email/render") the resend SDK leaves unresolved, as workerd does not.
    modulesRoot: build.dir,
    modules: [{ type: "ESModule", path: build.script }],
    bindings: { ...workerOptions.bindings, ...options.bindings },
    host: "127.0.0.1",
    port: 0,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  });
  await miniflare.ready;
  const url = await miniflare.unsafeGetDirectURL("bench");
  const pids = [...workerdChildren()].filter((pid) => !before.has(pid));
  if (pids.length !== 1) throw new Error(`expected one new workerd process, found ${pids.length}`);
  const pid = pids[0]!;
  return { url, miniflare, cpuNs: () => processCpuNs(pid), pin: (cpus) => pinProcess(pid, cpus), dispose: () => miniflare.dispose() };
}
