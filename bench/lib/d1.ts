/** The local D1 of a bench runtime, with the project's migrations applied. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_splitSqlQuery } from "wrangler";
import { SOURCE } from "./build.ts";
import type { Runtime } from "./workerd.ts";

export type Database = Awaited<ReturnType<Runtime["miniflare"]["getD1Database"]>>;

export async function migratedDatabase(runtime: Runtime): Promise<Database> {
  const db = await runtime.miniflare.getD1Database("DB");
  const dir = join(SOURCE, "migrations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(join(dir, file), "utf8"));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }
  return db;
}
