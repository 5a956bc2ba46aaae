/**
 * D1 side of the operator import: creates subscribers that do not exist yet and never
 * touches one that does. Rows travel to D1 as one JSON text per chunk, read back with
 * json_each, so a chunk of thousands of rows costs a handful of statements. A row is its
 * address and the index of its "shape" (status, digests, consent and creation time), and
 * the few distinct shapes travel once per chunk: a typical row is ~30 bytes of JSON, so a
 * chunk carries MAX_CHUNK_ROWS rows and one request up to MAX_CHUNKS × MAX_CHUNK_ROWS
 * (225,000: a 1,000,000-row list is five requests).
 *
 * Designed for D1's limits (developers.cloudflare.com/d1/platform/limits):
 * - 50 queries per Worker invocation on Workers Free (1,000 on Paid), counting every
 *   statement of a batch: an import uses STATEMENTS_PER_CHUNK per chunk and at most
 *   MAX_CHUNKS chunks (45 statements), whatever the plan;
 * - 2,000,000 bytes per string value: a chunk's JSON stays under MAX_CHUNK_BYTES;
 * - 100 bound parameters and 100 KB of SQL per statement: each statement binds at most
 *   4 values and its text is fixed;
 * - 30 s per query: a chunk holds at most MAX_CHUNK_ROWS rows (well under a second).
 * Each chunk is one batch, i.e. one transaction: it is written whole or not at all.
 */
import type { SubscriberStatus } from "./store.ts";

export interface NewSubscriber {
  /** Canonical address, unique within one import. */
  email: string;
  status: SubscriberStatus;
  digests: string[];
  consentAt: string | null;
  consentSource: string | null;
  /** ISO time; null means the time of the import. */
  createdAt: string | null;
}

export const STATEMENTS_PER_CHUNK = 5;
export const MAX_CHUNKS = 9;
export const MAX_CHUNK_ROWS = 25_000;
export const MAX_CHUNK_BYTES = 1_800_000;

export interface Chunk {
  rows: NewSubscriber[];
  /** JSON array of [email, shape index]. */
  json: string;
  /** JSON array of shapes: [status, digests, consentAt, consentSource, createdAt]. */
  shapes: string;
}

function shapeOf(row: NewSubscriber): string {
  return JSON.stringify([row.status, row.digests, row.consentAt, row.consentSource, row.createdAt]);
}

/** UTF-8 size, counted cheaply: ASCII is one byte a character, anything else at most three. */
function byteSize(text: string): number {
  return /^[\x00-\x7f]*$/.test(text) ? text.length : text.length * 3;
}

/** Splits rows into chunks within the per-chunk limits, keeping their order. */
export function chunkRows(rows: NewSubscriber[], maxRows = MAX_CHUNK_ROWS): Chunk[] {
  const chunks: Chunk[] = [];
  let current: NewSubscriber[] = [];
  let parts: string[] = [];
  let shapes = new Map<string, number>();
  let bytes = 2;
  const flush = () => {
    if (current.length > 0) chunks.push({ rows: current, json: `[${parts.join(",")}]`, shapes: `[${[...shapes.keys()].join(",")}]` });
    current = [];
    parts = [];
    shapes = new Map();
    bytes = 2;
  };
  for (const row of rows) {
    const shape = shapeOf(row);
    // A new shape travels in the same chunk, so it counts against its size too.
    const shapeBytes = shapes.has(shape) ? 0 : byteSize(shape) + 1;
    const partBytes = byteSize(JSON.stringify([row.email, shapes.size])) + 1;
    if (current.length >= maxRows || bytes + partBytes + shapeBytes > MAX_CHUNK_BYTES) flush();
    let index = shapes.get(shape);
    if (index === undefined) {
      index = shapes.size;
      shapes.set(shape, index);
      bytes += byteSize(shape) + 1;
    }
    const part = JSON.stringify([row.email, index]);
    current.push(row);
    parts.push(part);
    bytes += byteSize(part) + 1;
  }
  flush();
  return chunks;
}

const ROWS = "json_each(?1) j";
const EMAIL = "json_extract(j.value, '$[0]')";
/** Field `i` of the row's shape (?4 is the chunk's shapes). */
const field = (i: number) => `json_extract(?4, '$[' || json_extract(j.value, '$[1]') || '][${i}]')`;

/**
 * Writes one chunk in one transaction. Returns, by index in the chunk, the status of
 * each address a subscriber already had (those rows were left alone); every other row
 * was created. Rows this transaction inserts carry `marker` as their consent source
 * until its last statement, which is how its own statements tell them from the rest;
 * the marker is never visible outside the transaction.
 */
export async function writeChunk(
  db: D1Database,
  { json, shapes }: Pick<Chunk, "json" | "shapes">,
  now: Date,
): Promise<Map<number, SubscriberStatus>> {
  const at = now.toISOString();
  const marker = `\u0000import ${crypto.randomUUID()}`;
  const created = `${ROWS} JOIN subscribers s ON s.email = ${EMAIL} AND s.consent_source = ?2`;
  const [existing] = await db.batch([
    db
      .prepare(`SELECT CAST(j.key AS INTEGER) AS i, s.status FROM ${ROWS} JOIN subscribers s ON s.email = ${EMAIL}`)
      .bind(json),
    // `WHERE true` lets SQLite read ON CONFLICT as the upsert clause, not part of the SELECT.
    db
      .prepare(
        `INSERT INTO subscribers (email, status, consent_at, consent_source, created_at, updated_at)
         SELECT ${EMAIL}, ${field(0)}, ${field(2)}, ?2, coalesce(${field(4)}, ?3), ?3
         FROM ${ROWS} WHERE true ON CONFLICT (email) DO NOTHING`,
      )
      .bind(json, marker, at, shapes),
    db
      .prepare(
        `INSERT OR IGNORE INTO subscriptions (subscriber_id, digest_id, created_at)
         SELECT s.id, d.value, ?3 FROM ${created}, json_each(${field(1)}) d`,
      )
      .bind(json, marker, at, shapes),
    db
      .prepare(
        `INSERT INTO subscriber_events (subscriber_id, type, detail, created_at)
         SELECT s.id, 'imported', json_object('digests', json(${field(1)})), ?3 FROM ${created}`,
      )
      .bind(json, marker, at, shapes),
    db
      .prepare(`UPDATE subscribers SET consent_source = ${field(3)} FROM ${ROWS} WHERE subscribers.email = ${EMAIL} AND subscribers.consent_source = ?2`)
      .bind(json, marker, null, shapes),
  ]);
  const rows = (existing?.results ?? []) as { i: number; status: SubscriberStatus }[];
  return new Map(rows.map((row) => [row.i, row.status]));
}
