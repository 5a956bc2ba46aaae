/**
 * Production builds, exactly as `wrangler deploy` makes them: `wrangler deploy --dry-run
 * --outdir` (esbuild, minified, NODE_ENV=production, the workerd/worker/browser conditions).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { unstable_readConfig } from "wrangler";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
export const APP_CONFIG = join(ROOT, "wrangler.toml");
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

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

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
    main: join(ROOT, "bench", main),
    compatibility_date: app.compatibility_date,
    compatibility_flags: app.compatibility_flags,
    minify: true,
    vars,
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
    cwd: ROOT,
    env: wranglerEnv({ NODE_ENV: nodeEnv }),
  });
  const scripts = readdirSync(dir).filter((f) => f.endsWith(".js"));
  if (scripts.length !== 1) throw new Error(`expected one .js file from wrangler in ${dir}, found ${scripts.join(", ")}`);
  return { dir, script: join(dir, scripts[0]!) };
}
