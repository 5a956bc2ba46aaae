/**
 * The Worker as browser tests meet it: started by wrangler's own machinery
 * (unstable_startWorker) on a free port, with a fresh local D1 that has the real
 * migrations applied.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { unstable_readConfig, unstable_splitSqlQuery, unstable_startWorker } from "wrangler";

export const root = path.resolve(import.meta.dirname, "../..");

export interface LocalWorker {
  base: string;
  dispose(): Promise<void>;
}

/** Starts the Worker with these plain-text vars (no .dev.vars: a developer's real RESEND_API_KEY must never send mail from a test). */
export async function startLocalWorker(vars: Record<string, string>): Promise<LocalWorker> {
  const persistDir = mkdtempSync(path.join(tmpdir(), "newsletter-e2e-"));
  await applyMigrations(persistDir);
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

/**
 * What `wrangler d1 migrations apply DB --local --persist-to <dir>` does, in this process (its
 * CLI took ~8 s to start, for each test file): the real migrations, each in one batch with its
 * row in d1_migrations, written where the Worker started on the same directory finds its DB.
 */
async function applyMigrations(persistDir: string): Promise<void> {
  const config = unstable_readConfig({ config: path.join(root, "wrangler.toml") });
  const database = config.d1_databases.find((d1: { binding: string }) => d1.binding === "DB");
  if (!database?.database_id) throw new Error("wrangler.toml has no D1 database bound as DB");
  const mf = new Miniflare({
    modules: true,
    script: "export default {}",
    d1Databases: { DB: database.preview_database_id ?? database.database_id },
    d1Persist: path.join(persistDir, "v3", "d1"),
  });
  try {
    const db = await mf.getD1Database("DB");
    await db
      .prepare("CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)")
      .run();
    const migrationsDir = path.join(root, database.migrations_dir ?? "migrations");
    for (const name of readdirSync(migrationsDir).filter((file) => file.endsWith(".sql")).sort()) {
      const statements = unstable_splitSqlQuery(readFileSync(path.join(migrationsDir, name), "utf8")).map((sql) => db.prepare(sql));
      await db.batch([...statements, db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name)]);
    }
  } finally {
    await mf.dispose();
  }
}
