/**
 * Bench-only Worker: the app itself (src/index.ts), with two things a measurement needs.
 * - Its D1 binding counts `meta.rows_written` of every statement the app runs (first()
 *   is answered through all(), which carries the meta).
 * - In "fan-out only" mode its queue consumer acks `deliver` messages after counting their batches
 *   and hands everything else (fan-out steps) to the app's consumer: a fan-out of a million
 *   recipients is measured up to every batch enqueued, not behind the delivery it starts.
 *
 *   GET  /__bench/stats               {rowsWritten, deliveredBatches, mode}
 *   POST /__bench/reset?mode=M        zero the counters; M = "fan-out-only" | "deliver"
 * Every other request is the app's.
 */
import app from "../src/index.ts";
// The provider window's Durable Object class must be exported by the Worker that binds it.
export { ProviderWindow } from "../src/index.ts";

let rowsWritten = 0;
let deliveredBatches = 0;
let mode: "fan-out-only" | "deliver" = "deliver";

type Meta = { meta?: { rows_written?: number } };
const count = <T extends Meta>(result: T): T => {
  rowsWritten += result.meta?.rows_written ?? 0;
  return result;
};

/** The real statement under each counting proxy: db.batch takes only real ones. */
const underlying = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

function countingStatement(statement: D1PreparedStatement): D1PreparedStatement {
  const counted = new Proxy(statement, {
    get(target, property) {
      if (property === "bind") return (...values: unknown[]) => countingStatement(target.bind(...values));
      if (property === "run" || property === "all") return async () => count(await target[property]());
      if (property === "first") {
        return async (column?: string) => {
          const { results } = count(await target.all<Record<string, unknown>>());
          const row = results[0] ?? null;
          return column === undefined || row === null ? row : (row[column] ?? null);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  underlying.set(counted, statement);
  return counted;
}

function countingDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => countingStatement(target.prepare(sql));
      if (property === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements.map((statement) => underlying.get(statement) ?? statement));
          for (const result of results) count(result);
          return results;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const wrapped = new WeakMap<Env, Env>();
function benchEnv(env: Env): Env {
  let result = wrapped.get(env);
  if (!result) {
    result = { ...env, DB: countingDb(env.DB) };
    wrapped.set(env, result);
  }
  return result;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/stats") return Response.json({ rowsWritten, deliveredBatches, mode });
    if (url.pathname === "/__bench/reset" && request.method === "POST") {
      rowsWritten = 0;
      deliveredBatches = 0;
      mode = url.searchParams.get("mode") === "fan-out-only" ? "fan-out-only" : "deliver";
      return Response.json({ rowsWritten, deliveredBatches, mode });
    }
    return app.fetch(request, benchEnv(env), ctx);
  },
  async queue(batch, env, ctx) {
    if (mode === "deliver") return app.queue(batch, benchEnv(env), ctx);
    const rest = batch.messages.filter((message) => {
      const body = message.body as { type?: string; batches?: number };
      if (body.type !== "deliver") return true;
      // A fan-out deliver message names up to ten batches.
      deliveredBatches += body.batches ?? 1;
      message.ack();
      return false;
    });
    if (rest.length > 0) await app.queue({ ...batch, messages: rest }, benchEnv(env), ctx);
  },
  scheduled: (controller, env, ctx) => app.scheduled(controller, benchEnv(env), ctx),
} satisfies ExportedHandler<Env>;
