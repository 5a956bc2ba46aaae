/**
 * Production builds, exactly as `wrangler deploy` makes them: `wrangler deploy --dry-run
 * --outdir` (esbuild, minified, NODE_ENV=production, the workerd/worker/browser conditions).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const run = promisify(execFile);

/** Environment for wrangler child processes: no telemetry, no prompts. */
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", ...extra };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
}

export interface Build {
  dir: string;
  /** The bundled entry module (the only .js file wrangler writes). */
  script: string;
}

/** Builds the Worker of `configPath` (default: the project's wrangler.toml) for production. */
export async function productionBuild(name: string, configPath = join(ROOT, "wrangler.toml")): Promise<Build> {
  const dir = tempDir(name);
  await run(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", dir, "--config", configPath], {
    cwd: ROOT,
    env: wranglerEnv({ NODE_ENV: "production" }),
  });
  const scripts = readdirSync(dir).filter((f) => f.endsWith(".js"));
  if (scripts.length !== 1) throw new Error(`expected one .js file from wrangler in ${dir}, found ${scripts.join(", ")}`);
  return { dir, script: join(dir, scripts[0]!) };
}
