/**
 * `npm run bench`: measures the feeds, the renderer, the sender and the bundle, each
 * next to its reference from the same run, prints one table and writes bench/RESULTS.md.
 * Only ever talks to 127.0.0.1; every loop is bounded. Not run by CI.
 *
 * BENCH_ROUNDS (9), BENCH_SECONDS (1) per load round, BENCH_RECIPIENTS (6000; the full 10,000 takes 20 s more),
 * BENCH_SUBSCRIBE_SAMPLES (30 per address state), BENCH_SECTIONS (e.g. "6" or "1,4": only those sections,
 * printed but not written to bench/RESULTS.md, which always holds a whole run).
 * `--scale` (npm run bench -- --scale) adds the long opt-in scale sections (7: data at a million readers;
 * 8: the provider's full rate at 100,000 readers per limit × latency, BENCH_SCALE_READERS,
 * BENCH_SCALE_SECONDS, BENCH_SCALE_GRID, see sections/scale.ts).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { APP_CONFIG, APP_VARS, buildWorker, ROOT } from "./lib/build.ts";
import { markdownTable, type Row } from "./lib/table.ts";
import { bundleRows, coldStartRows } from "./sections/bundle.ts";
import { renderRows } from "./sections/render.ts";
import { keptScaleBlock, scaleDataRows } from "./sections/scale-data.ts";
import { scaleGrid, scaleRows } from "./sections/scale.ts";
import { sendRows } from "./sections/send.ts";
import { subscribeRows } from "./sections/subscribe.ts";
import { FEED_PATHS, prepareServing, workerdServingRows, wranglerDevRows, type LoadSettings } from "./sections/serving.ts";

const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 9),
  // Whole seconds: autocannon ends a run on its 1 s tick.
  seconds: Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 1))),
  connections: 10,
} satisfies LoadSettings;
const recipients = Number(process.env.BENCH_RECIPIENTS ?? 6_000);
const subscribeSamples = Number(process.env.BENCH_SUBSCRIBE_SAMPLES ?? 30);
const only = process.env.BENCH_SECTIONS?.split(",").map((part) => part.trim());
const scale = process.argv.includes("--scale");
const wanted = (name: string) => !only || only.includes(String(Number.parseInt(name, 10)));

// Ctrl-C still runs the exit hooks that stop child processes.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

const rows: Row[] = [];
const startedAt = performance.now();
const loadAtStart = loadavg()[0]!;
const log = (message: string) => console.error(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0)} s] ${message}`);

/** A section that fails (a route not there yet, a crash) becomes a failed row; the others still run. */
async function section(name: string, measure: () => Promise<Row[]>): Promise<void> {
  if (!wanted(name)) return;
  log(name);
  try {
    rows.push(...(await measure()));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    rows.push({ section: name, figure: "could not be measured", measured: message.split("\n")[0]!, reference: "", ratio: "", target: "", ok: false });
  }
}

log("production build (wrangler deploy --dry-run)");
const app = await buildWorker("app");
await section("4 bundle", async () => bundleRows(app));
let serving: ReturnType<typeof prepareServing> | undefined;
const servingSetup = () => (serving ??= prepareServing(app));
await section("1 feeds (workerd)", async () => workerdServingRows(app, await servingSetup(), settings, log));
await section("4 cold start", async () => {
  const setup = await servingSetup();
  const path = FEED_PATHS[0];
  const constant = { build: setup.constant.build, path };
  return coldStartRows(
    { build: app, configPath: APP_CONFIG, bindings: APP_VARS, path },
    // The constant Worker on the app's config (D1, Queues, cron), its responses as a binding.
    { ...constant, configPath: APP_CONFIG, bindings: { RESPONSES: setup.captured } },
    { ...constant, configPath: setup.constant.configPath },
    settings.rounds,
  );
});
await section("2 render (workerd)", () => renderRows({ rounds: Math.max(5, settings.rounds), recipients: 10_000 }));
await section("1 feeds (wrangler dev)", async () => wranglerDevRows(await servingSetup(), settings, log));
await section("3 send (workerd)", () => sendRows(app, recipients));
await section("6 subscribe (workerd)", () => subscribeRows(app, subscribeSamples));
if (scale) await section("7 scale data (workerd)", () => scaleDataRows(log));
if (scale) {
  const readers = Number(process.env.BENCH_SCALE_READERS ?? 100_000);
  const idealSeconds = process.env.BENCH_SCALE_SECONDS ? Number(process.env.BENCH_SCALE_SECONDS) : null;
  await section("8 scale sending (workerd)", () => scaleRows(app, { readers, idealSeconds }, scaleGrid(process.env.BENCH_SCALE_GRID), log));
}

const totalSeconds = (performance.now() - startedAt) / 1000;
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.versions.node}, ${process.platform}`;
// One table in section order (rows were measured in the order that shares runtimes best).
const sectionNumber = (row: Row) => Number.parseInt(row.section, 10);
const table = markdownTable([...rows].sort((a, b) => sectionNumber(a) - sectionNumber(b)));
const judged = rows.filter((row) => row.ok !== null);
const met = `${judged.filter((row) => row.ok).length} of ${judged.length} targets met`;
const report =
  `# Benchmark results\n\n` +
  `Written by \`npm run bench\` (see docs/benchmarks.md). ${new Date().toISOString()} · ${machine} · ` +
  `load average ${loadAtStart.toFixed(1)} at start · ${settings.rounds} alternating rounds of ${settings.seconds} s, ` +
  `${settings.connections} connections, medians · total ${totalSeconds.toFixed(0)} s · ${met}\n\n${table}\n`;
console.log(table);
if (only) {
  log(`${met} (sections ${only.join(", ")} only; bench/RESULTS.md left as it was)`);
} else {
  // The scale section writes its own block (it is opt-in); a run without it keeps the last one.
  const resultsPath = join(ROOT, "bench/RESULTS.md");
  const kept = scale || !existsSync(resultsPath) ? "" : keptScaleBlock(readFileSync(resultsPath, "utf8"));
  writeFileSync(resultsPath, report + kept);
  log(`${met}; wrote bench/RESULTS.md`);
}
