/**
 * Production builds, exactly as `wrangler deploy` makes them: `wrangler deploy --dry-run
 * --outdir` (esbuild, minified, NODE_ENV=production, the workerd/worker/browser conditions),
 * all from one snapshot of the project taken when the benchmark starts.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { unstable_readConfig } from "wrangler";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
/** wrangler's command-line entry, wherever the package manager installed it. */
export const WRANGLER = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
/**
 * SITE_URL as in production. Left empty, links follow the request's origin, and the
 * bytes (and ETags) would differ between runtimes listening on different ports.
 */
export const APP_VARS = { SITE_URL: "https://news.example.com" };
const run = promisify(execFile);

/** Environment for wrangler child processes: no telemetry, no prompts. */
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", ...extra };
}

const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removed however the benchmark ends. */
process.on("exit", () => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const NOT_COPIED = new Set(["node_modules", ".git", ".wrangler", "dist"]);

/**
 * A copy of the project (node_modules linked): every build and `wrangler dev` runs from
 * it, so edits made while the benchmark runs (wrangler dev would reload on them) cannot
 * change what is measured half-way.
 */
function snapshotProject(): string {
  const dir = tempDir("snapshot");
  for (const entry of readdirSync(ROOT)) {
    if (!NOT_COPIED.has(entry)) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  // wrangler.toml's [assets] directory is drawn by build:content into dist/, which is not copied otherwise.
  if (existsSync(join(ROOT, "dist/site-assets"))) cpSync(join(ROOT, "dist/site-assets"), join(dir, "dist/site-assets"), { recursive: true });
  return dir;
}

export const SOURCE = snapshotProject();
export const APP_CONFIG = join(SOURCE, "wrangler.toml");

export interface Build {
  dir: string;
  /** The bundled entry module (the only .js file wrangler writes). */
  script: string;
}

/**
 * A wrangler config for a bench Worker (`main` relative to bench/), on the app's
 * compatibility date and flags; usable by `wrangler dev` as well.
 */
export function benchConfig(name: string, main: string, vars: Record<string, unknown> = {}): string {
  const app = unstable_readConfig({ config: APP_CONFIG });
  const configPath = join(tempDir(`${name}-config`), "wrangler.json");
  const config = {
    name: `bench-${name}`,
    main: join(SOURCE, "bench", main),
    compatibility_date: app.compatibility_date,
    compatibility_flags: app.compatibility_flags,
    minify: true,
    vars,
    // Behind the same static-asset layer as the app (wrangler.toml [assets]): locally that
    // layer is a router Worker in front of every request, which on Cloudflare costs the
    // Worker nothing; both sides pay it here, so the ratio still compares the Workers.
    ...(app.assets?.directory ? { assets: { directory: resolve(dirname(APP_CONFIG), app.assets.directory) } } : {}),
  };
  writeFileSync(configPath, JSON.stringify(config));
  return configPath;
}

/**
 * Builds the Worker of `configPath` as `wrangler deploy` would. `nodeEnv` "development"
 * gives the build React runs 20-odd times slower in, as a reference.
 */
export async function buildWorker(
  name: string,
  configPath = APP_CONFIG,
  nodeEnv: "production" | "development" = "production",
): Promise<Build> {
  const dir = tempDir(name);
  await run(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", dir, "--config", configPath], {
    cwd: SOURCE,
    env: wranglerEnv({ NODE_ENV: nodeEnv }),
  });
  const scripts = readdirSync(dir).filter((f) => f.endsWith(".js"));
  if (scripts.length !== 1) throw new Error(`expected one .js file from wrangler in ${dir}, found ${scripts.join(", ")}`);
  return { dir, script: join(dir, scripts[0]!) };
}
