/**
 * Drives the delivery pipeline deterministically in tests: a Queue that records what
 * the Worker enqueues, a drain loop that feeds it to the real `queue` handler in
 * batches with Cloudflare's ack/retry semantics, an env pointing the Resend SDK at
 * the fake, and subscriber fixtures written straight into the 0001 schema.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { systemClock } from "../../src/clock.ts";
import { Pacer, type SendWindow } from "../../src/email/pacer.ts";
import worker from "../../src/index.ts";

export interface QueuedMessage {
  id: string;
  body: unknown;
  attempts: number;
}

export interface Retry {
  body: unknown;
  attempts: number;
  delaySeconds: number | undefined;
}

/** Records enqueued messages instead of delivering them; `drain` delivers them. */
export class RecordingQueue implements Queue<unknown> {
  readonly pending: QueuedMessage[] = [];
  readonly retries: Retry[] = [];
  /** Every message ever enqueued, for redelivering them all. */
  readonly history: QueuedMessage[] = [];
  private nextId = 1;

  /** The process dies: a local queue's messages die with it (`wrangler dev` keeps them in memory). */
  loseAll(): void {
    this.pending.length = 0;
  }

  /** At-least-once delivery taken literally: every message ever enqueued comes again. */
  redeliverAll(): void {
    this.pending.push(...this.history.map((m) => ({ ...m, attempts: m.attempts + 1 })));
  }

  private push(body: unknown): void {
    const message = { id: `m${this.nextId++}`, body, attempts: 1 };
    this.pending.push(message);
    this.history.push(message);
  }

  async metrics(): Promise<QueueMetrics> {
    return { backlogCount: this.pending.length, backlogBytes: 0 };
  }

  async send(body: unknown): Promise<QueueSendResponse> {
    this.push(body);
    return { metadata: { metrics: { backlogCount: this.pending.length, backlogBytes: 0 } } };
  }

  async sendBatch(messages: Iterable<MessageSendRequest<unknown>>): Promise<QueueSendBatchResponse> {
    for (const { body } of messages) this.push(body);
    return { metadata: { metrics: { backlogCount: this.pending.length, backlogBytes: 0 } } };
  }
}

export interface DrainOptions {
  maxBatchSize?: number;
  queueName?: string;
  /** The provider's window the consumer sends through (by default one on the system clock, for this test file). */
  pacer?: SendWindow;
  /** The Worker whose queue handler runs (another module instance stands for another isolate). */
  worker?: typeof worker;
}

const testFileWindow = new Pacer(systemClock);

/**
 * One invocation of the Worker's queue handler with up to `maxBatchSize` pending
 * messages of `queueName`. As on Cloudflare: a message neither acked nor retried is
 * acked when the handler returns; if the handler throws, every message not explicitly
 * acked is retried. Retry delays are recorded, not waited for (the provider pacer
 * still holds requests, on its clock: pass a pacer on a fake clock to spend no real time).
 */
export async function invokeQueue(
  testEnv: Env,
  queue: RecordingQueue,
  { maxBatchSize = 10, queueName = "digest-delivery", pacer = testFileWindow, worker: handler = worker }: DrainOptions = {},
) {
  const taken = queue.pending.splice(0, maxBatchSize);
  const state = new Map<string, { acked: boolean; retry: { delaySeconds?: number } | null }>();
  const messages = taken.map((m): Message<unknown> => {
    state.set(m.id, { acked: false, retry: null });
    return {
      id: m.id,
      timestamp: new Date(),
      body: m.body,
      attempts: m.attempts,
      ack: () => void (state.get(m.id)!.acked = true),
      retry: (options) => void (state.get(m.id)!.retry = options ?? {}),
    };
  });
  const batch: MessageBatch<unknown> = {
    queue: queueName,
    messages,
    metadata: { metrics: { backlogCount: queue.pending.length, backlogBytes: 0 } },
    ackAll: () => messages.forEach((m) => m.ack()),
    retryAll: (options) => messages.forEach((m) => m.retry(options)),
  };
  let crashed = false;
  try {
    await handler.queue(batch, testEnv, createExecutionContext(), pacer);
  } catch {
    crashed = true;
  }
  for (const m of taken) {
    const { acked, retry } = state.get(m.id)!;
    const retried = retry !== null || (crashed && !acked);
    if (!retried) continue;
    queue.retries.push({ body: m.body, attempts: m.attempts, delaySeconds: retry?.delaySeconds });
    queue.pending.push({ ...m, attempts: m.attempts + 1 });
  }
}

/**
 * Delivers every pending message (and whatever handling them enqueues or retries) to
 * the Worker's queue handler, invocation after invocation, until none is left.
 */
export async function drain(testEnv: Env, queue: RecordingQueue, { maxInvocations = 200, ...options }: DrainOptions & { maxInvocations?: number } = {}) {
  for (let invocation = 0; queue.pending.length > 0; invocation++) {
    if (invocation >= maxInvocations) throw new Error(`queue not drained after ${maxInvocations} invocations`);
    await invokeQueue(testEnv, queue, options);
  }
}

/** The test env with delivery through the fake Resend (or the outbox without `resendBaseUrl`) and a recording queue. */
export function deliveryEnv(
  queue: RecordingQueue,
  overrides: { resendBaseUrl?: string; db?: D1Database; mailQueue?: RecordingQueue; vars?: Partial<Env> } = {},
): Env {
  return {
    ...env,
    SITE_URL: "https://news.example.com",
    RESEND_API_KEY: overrides.resendBaseUrl ? "re_test_key" : "",
    RESEND_BASE_URL: overrides.resendBaseUrl ?? "",
    DELIVERY_QUEUE: queue,
    MAIL_QUEUE: overrides.mailQueue ?? new RecordingQueue(),
    DB: overrides.db ?? env.DB,
    ...overrides.vars,
  };
}

/** The mail queue's name (wrangler.toml), for draining a RecordingQueue standing in for it. */
export const MAIL_QUEUE_NAME = "transactional-mail";

/**
 * Storage is per test file, not per test: each test starts from no subscribers, editions
 * or mail. The counters go last (deleting subscribers updates them through their triggers).
 */
export async function resetDeliveryTables(): Promise<void> {
  await env.DB.batch(
    [
      "delivery_failures",
      "delivery_batches",
      "delivery_runs",
      "editions",
      "outbox",
      "mail_failures",
      "subscriptions",
      "subscriber_events",
      "subscribers",
      "subscriber_counts",
      "subscriber_event_days",
    ].map((table) =>
      env.DB.prepare(`DELETE FROM ${table}`),
    ),
  );
}

type SubscriberStatus = "pending" | "active" | "unsubscribed" | "suppressed";

/** Writes subscribers straight into the schema; returns their ids in order. */
export async function seedSubscribers(
  subscribers: { email: string; status: SubscriberStatus; digests: string[] }[],
): Promise<number[]> {
  const now = new Date().toISOString();
  const ids: number[] = [];
  // Chunked: D1 batches are transactions, and thousands of rows go in a few statements.
  for (let i = 0; i < subscribers.length; i += 500) {
    const chunk = subscribers.slice(i, i + 500);
    const inserted = await env.DB.batch<{ id: number }>(
      chunk.map((s) =>
        env.DB
          .prepare("INSERT INTO subscribers (email, status, consent_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
          .bind(s.email, s.status, now, now, now),
      ),
    );
    const chunkIds = inserted.map((r) => r.results[0]?.id ?? 0);
    ids.push(...chunkIds);
    const subscriptions = chunk.flatMap((s, j) =>
      s.digests.map((digest) =>
        env.DB.prepare("INSERT INTO subscriptions (subscriber_id, digest_id, created_at) VALUES (?, ?, ?)").bind(chunkIds[j], digest, now),
      ),
    );
    if (subscriptions.length > 0) await env.DB.batch(subscriptions);
  }
  return ids;
}

export async function setSubscriberStatus(email: string, status: SubscriberStatus): Promise<void> {
  await env.DB.prepare("UPDATE subscribers SET status = ? WHERE email = ?").bind(status, email).run();
}

/**
 * A D1 binding that fails once on demand: the consumer or trigger crashing mid-way.
 * `crashNextCall` fails the next call; `crashAt(pattern)` fails the first statement
 * prepared with matching SQL; `killNextCall` fails the next call and every one after
 * (the process is gone: work running beside the crash gets no further either).
 */
export function interruptibleDb(db: D1Database) {
  let crashNext = false;
  let killNext = false;
  let dead = false;
  let crashPattern: RegExp | null = null;
  const guard = (sql: unknown) => {
    dead ||= killNext;
    if (dead) throw new Error("simulated crash: the Worker died here");
    if (crashNext || (crashPattern && typeof sql === "string" && crashPattern.test(sql))) {
      crashNext = false;
      crashPattern = null;
      throw new Error("simulated crash: the Worker died here");
    }
  };
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      if (property === "prepare" || property === "batch") {
        return (...args: unknown[]) => {
          guard(args[0]);
          const method = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
          return method.apply(target, args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return {
    db: proxy,
    crashNextCall: () => void (crashNext = true),
    killNextCall: () => void (killNext = true),
    crashAt: (pattern: RegExp) => void (crashPattern = pattern),
  };
}

/** The operator's forced send (POST /api/sends { digest, force: true }): the id of the edition it opened. */
export async function openForcedEdition(testEnv: Env, digestId: string): Promise<string> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request("https://news.example.com/api/sends", {
      method: "POST",
      headers: { Authorization: "Bearer test-admin-token-of-at-least-32-bytes", "Content-Type": "application/json" },
      body: JSON.stringify({ digest: digestId, force: true }),
    }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  if (response.status !== 202) throw new Error(`POST /api/sends answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { edition: string }).edition;
}

/** Replaces what is pending with one deliver message per batch, as recovery enqueues them (so consumers can split them). */
export async function oneBatchPerMessage(queue: RecordingQueue, edition: string, batches: number): Promise<void> {
  queue.loseAll();
  await queue.sendBatch(Array.from({ length: batches }, (_, batch) => ({ body: { type: "deliver", edition, batch } })));
}
