/**
 * The Worker as browser tests meet it: started by wrangler's own machinery
 * (unstable_startWorker) on a free port, with a fresh local D1 that has the real
 * migrations applied.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { unstable_startWorker } from "wrangler";

export const root = path.resolve(import.meta.dirname, "../..");

export interface LocalWorker {
  base: string;
  dispose(): Promise<void>;
}

/** Starts the Worker with these plain-text vars (no .dev.vars: a developer's real RESEND_API_KEY must never send mail from a test). */
export async function startLocalWorker(vars: Record<string, string>): Promise<LocalWorker> {
  const persistDir = mkdtempSync(path.join(tmpdir(), "newsletter-e2e-"));
  execFileSync(
    process.execPath,
    [createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js"), "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
    { cwd: root, stdio: "pipe", env: { ...process.env, CI: "true" } },
  );
  const worker = await unstable_startWorker({
    config: path.join(root, "wrangler.toml"),
    envFiles: [],
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: {
      persist: persistDir,
      remote: false,
      watch: false,
      inspector: false,
      logLevel: "warn",
      server: { hostname: "127.0.0.1", port: 0 },
    },
  });
  await worker.ready;
  return {
    base: String(await worker.url).replace(/\/$/, ""),
    async dispose() {
      await worker.dispose();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
