/**
 * One owner per table: each D1 table is read and written by modules of one folder of
 * src/ only. Every SQL reference to a table (after FROM, JOIN, INTO, UPDATE or TABLE) in
 * src/ must sit in its owner's folder; another folder asks the owner's functions. A new
 * table must be given an owner here.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** table → the folder of src/ whose modules alone may run SQL on it */
const OWNERS: Record<string, string> = {
  subscribers: "src/subscribers",
  subscriptions: "src/subscribers",
  subscriber_events: "src/subscribers",
  subscriber_counts: "src/subscribers",
  subscriber_event_days: "src/subscribers",
  rate_limits: "src/subscribers",
  editions: "src/digests",
  outbox: "src/email",
  delivery_runs: "src/delivery",
  delivery_batches: "src/delivery",
  delivery_failures: "src/delivery",
  console_sessions: "src/admin",
  websub_subscriptions: "src/feeds",
  websub_topics: "src/feeds",
  websub_published: "src/feeds",
  feed_audience: "src/feeds",
};

/** Tables the migrations leave, in order (created and not dropped since). */
function liveTables(): string[] {
  const dir = path.join(root, "migrations");
  const tables = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".sql")).sort()) {
    const sql = readFileSync(path.join(dir, file), "utf8");
    for (const [, verb, name] of sql.matchAll(/\b(CREATE|DROP) TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/g)) {
      if (verb === "CREATE") tables.add(name!);
      else tables.delete(name!);
    }
  }
  return [...tables].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every (file, table) pair where the file's SQL names a live table. */
function references(tables: string[]): { file: string; table: string }[] {
  const known = new Set(tables);
  return sourceFiles(path.join(root, "src")).flatMap((full) => {
    const file = path.relative(root, full);
    const text = readFileSync(full, "utf8");
    const found = new Set<string>();
    for (const [, name] of text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)/g)) {
      if (known.has(name!)) found.add(name!);
    }
    return [...found].map((table) => ({ file, table }));
  });
}

describe("D1 tables", () => {
  const tables = liveTables();
  const found = references(tables);

  it("each has an owning folder", () => {
    expect(tables.filter((table) => !(table in OWNERS))).toEqual([]);
  });

  it("are named in SQL only by modules of their owner's folder", () => {
    const trespasses = found
      .filter(({ file, table }) => !file.startsWith(`${OWNERS[table]}/`))
      .map(({ file, table }) => `${file} runs SQL on ${table}, owned by ${OWNERS[table]}`);
    expect(trespasses).toEqual([]);
  });

  it("are each used by their owner (the scan sees the SQL)", () => {
    expect(tables.filter((table) => !found.some((reference) => reference.table === table))).toEqual([]);
  });
});
