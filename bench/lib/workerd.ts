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
  /** CPU time (user + system) the workerd process has used so far, in nanoseconds. */
  cpuNs(): number;
  dispose(): Promise<void>;
}

const TICK_NS = 1e9 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

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

/** utime + stime of the whole process (all threads, live and exited). */
function processCpuNs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_NS;
}

export interface StartOptions {
  /** wrangler config whose bindings the Worker gets (default: the project's). */
  configPath: string;
  /** Extra or overriding plain bindings (vars and secrets). */
  bindings?: Record<string, unknown>;
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
  return { url, miniflare, cpuNs: () => processCpuNs(pid), dispose: () => miniflare.dispose() };
}
