/**
 * Runs before every Workers test file (vitest.config.ts `setupFiles`). The files share one
 * workerd runtime (`isolate: false`: starting a runtime per file cost ~2.5 s of CPU each, two
 * thirds of the suite), so each file starts here from what a runtime of its own gave it:
 * modules evaluated afresh, real globals and timers, Durable Objects without state, and an
 * empty D1 database with the real migrations (migrations/) applied. A file that sent to the
 * runtime's queues waits for them to hand over every message before the next file starts.
 */
import { applyD1Migrations, env, listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { afterAll, vi } from "vitest";

// Before resetModules: an object whose class module was evaluated again refuses its next call.
await resetDurableObjects();
// Module state (caches, memos, first-request flags) never reaches the next file.
vi.resetModules();
vi.unstubAllGlobals();
vi.unstubAllEnvs();
vi.useRealTimers();
await emptyDatabase(env.DB);
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

const sends = queueSendCounter();
const sentBefore = sends.count;
afterAll(async () => {
  if (sends.count > sentBefore) await settleQueues();
});

function bindingsOfKind<T>(constructorName: string): T[] {
  return Object.values(env).filter((binding) => binding instanceof Object && binding.constructor.name === constructorName) as T[];
}

/** Every object of every namespace loses its in-memory state (abort) and its storage. */
async function resetDurableObjects() {
  for (const namespace of bindingsOfKind<DurableObjectNamespace>("DurableObjectNamespace")) {
    for (const id of await listDurableObjectIds(namespace)) {
      await runInDurableObject(namespace.get(id), async (_instance, state) => {
        await state.storage.deleteAll();
        state.abort("reset between test files");
      }).catch(() => undefined); // abort() rejects the call that made it
    }
  }
}

/** Drops every table and view (their indexes and triggers with them). */
async function emptyDatabase(db: D1Database) {
  const { results } = await db
    .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
    .all<{ type: "table" | "view"; name: string }>();
  if (results.length === 0) return;
  // One transaction; foreign keys are checked at its end, when no table is left to point at.
  await db.batch([db.prepare("PRAGMA defer_foreign_keys = ON"), ...results.map(({ type, name }) => db.prepare(`DROP ${type} "${name}"`))]);
}

/**
 * Counts messages sent to the runtime's queues (a test's RecordingQueue is not one), over the
 * whole run: the queue class is patched once, and the counter lives on globalThis, which
 * resetModules leaves alone.
 */
function queueSendCounter(): { count: number } {
  const global = globalThis as { __runtimeQueueSends?: { count: number } };
  if (global.__runtimeQueueSends) return global.__runtimeQueueSends;
  const counter = { count: 0 };
  const [queue] = bindingsOfKind<Queue>("WorkerQueue");
  if (queue) {
    const prototype = Object.getPrototypeOf(queue) as Queue;
    const { send, sendBatch } = prototype;
    prototype.send = function (this: Queue, ...args: Parameters<Queue["send"]>) {
      counter.count += 1;
      return send.apply(this, args);
    };
    prototype.sendBatch = function (this: Queue, messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) {
      const list = [...messages];
      counter.count += list.length;
      return sendBatch.call(this, list, options);
    };
  }
  global.__runtimeQueueSends = counter;
  return counter;
}

/**
 * With a runtime per file, messages still queued died with it; here they would reach the next
 * file's database. Waits until no queue has held a message for 1.5 s (a batch waits at most
 * max_batch_timeout, at most 1 s, then runs in the Worker), at most 15 s.
 */
async function settleQueues() {
  vi.useRealTimers();
  const queues = bindingsOfKind<Queue>("WorkerQueue");
  const started = Date.now();
  let quietSince = started;
  while (Date.now() - quietSince < 1500 && Date.now() - started < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = await Promise.all(queues.map((queue) => queue.metrics()));
    if (metrics.some(({ backlogCount }) => backlogCount > 0)) quietSince = Date.now();
  }
}
