/**
 * `npm run bench`: measures the feeds, the renderer, the sender and the bundle, each
 * next to its reference from the same run, prints one table and writes bench/RESULTS.md.
 * Only ever talks to 127.0.0.1; every loop is bounded. Not run by CI.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { items } from "../src/content/generated.ts";
import type { ConstantResponse } from "./constant-worker.ts";
import { productionBuild, ROOT } from "./lib/build.ts";
import { buildConstantWorker, captureResponse } from "./lib/constant.ts";
import { markdownTable, type Row } from "./lib/table.ts";
import { startWranglerDev } from "./lib/wrangler-dev.ts";
import { startWorkerd } from "./lib/workerd.ts";
import { bundleRows, coldStartRow } from "./sections/bundle.ts";
import { compareProbe, cpuRow, missingRows, probesFor, throughputRow, type LoadSettings } from "./sections/serving.ts";

const FEED_PATHS = ["/rss.xml", "/atom.xml", "/feed.json"] as const;
const APP_CONFIG = join(ROOT, "wrangler.toml");

const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  seconds: Number(process.env.BENCH_SECONDS ?? 1),
  connections: 10,
} satisfies LoadSettings;

const rows: Row[] = [];
const startedAt = performance.now();
const log = (message: string) => console.error(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0)} s] ${message}`);

log("production build (wrangler deploy --dry-run)");
const app = await productionBuild("app");
rows.push(...bundleRows(app));

const pagePaths = ["/", ...(items[0] ? [`/articles/${items[0].slug}`] : [])];
const real = await startWorkerd(app, { configPath: APP_CONFIG });
const captured: Record<string, ConstantResponse> = {};
for (const path of [...FEED_PATHS, ...pagePaths]) captured[path] = await captureResponse(real.url, path);
const constantWorker = await buildConstantWorker(captured);
const constant = await startWorkerd(constantWorker.build, { configPath: constantWorker.configPath });
const probes = probesFor(captured, FEED_PATHS);

try {
  rows.push(...missingRows("workerd", captured, FEED_PATHS));
  for (const probe of probes) {
    log(`workerd: ${probe.label}`);
    const comparison = await compareProbe(real, constant, probe, settings);
    rows.push(throughputRow(`1 ${probe.kind}s (workerd)`, probe, comparison));
    rows.push(cpuRow(probe, comparison));
  }
} finally {
  await Promise.all([real.dispose(), constant.dispose()]);
}

log("cold start");
rows.push(
  await coldStartRow(
    { build: app, configPath: APP_CONFIG, path: FEED_PATHS[0] },
    { build: constantWorker.build, configPath: constantWorker.configPath, path: FEED_PATHS[0] },
    settings.rounds,
  ),
);

log("wrangler dev");
const [devReal, devConstant] = await Promise.all([startWranglerDev(APP_CONFIG), startWranglerDev(constantWorker.configPath)]);
try {
  for (const probe of probes.filter((p) => p.kind === "feed" && p.expectStatus === 200)) {
    log(`wrangler dev: ${probe.label}`);
    rows.push(throughputRow("1 feeds (wrangler dev)", probe, await compareProbe(devReal, devConstant, probe, settings)));
  }
} finally {
  await Promise.all([devReal.stop(), devConstant.stop()]);
}

const totalSeconds = (performance.now() - startedAt) / 1000;
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.versions.node}, ${process.platform}`;
const table = markdownTable(rows);
const report =
  `# Benchmark results\n\n` +
  `${new Date().toISOString()} · ${machine} · ${settings.rounds} rounds of ${settings.seconds} s, ` +
  `${settings.connections} connections, medians · total ${totalSeconds.toFixed(0)} s\n\n${table}\n`;
writeFileSync(join(ROOT, "bench/RESULTS.md"), report);
console.log(table);
log(`done; wrote bench/RESULTS.md`);
