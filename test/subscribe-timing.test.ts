/**
 * No enumeration by timing: nothing the request's isolate does for POST /api/subscribe
 * depends on the address's state. Before its answer it runs the same queries, none on
 * subscribers; after it, nothing at all (no follow-up that a neighbouring request could
 * wait behind); and it puts one message of the same shape on the mail queue whatever the
 * state. The consumer decides. Speed belongs in the bench (npm run bench, section 6).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { drain, MAIL_QUEUE_NAME, RecordingQueue, setSubscriberStatus } from "./helpers/delivery-harness.ts";
import { activeSubscriber, freshEmail, freshIp, mailTo, ORIGIN, statusOf } from "./subscribe-helpers.ts";

/** A D1 binding that logs the SQL of every statement prepared through it. */
function recordingDb(log: string[]): D1Database {
  return new Proxy(env.DB, {
    get(target, property) {
      if (property === "prepare") {
        return (sql: string) => {
          log.push(sql.replace(/\s+/g, " ").trim());
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The queries prepared before the answer and after it (in waitUntil), and what went on the mail queue. */
async function subscribeRecorded(email: string) {
  const log: string[] = [];
  const mailQueue = new RecordingQueue();
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}/api/subscribe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify({ email }),
  }) as Request<unknown, IncomingRequestCfProperties>;
  const testEnv = { ...env, DB: recordingDb(log), MAIL_QUEUE: mailQueue };
  const response = await worker.fetch(request, testEnv, ctx);
  const beforeAnswer = [...log];
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: await response.text(), beforeAnswer, afterAnswer: log.slice(beforeAnswer.length), mailQueue, testEnv };
}

/** The message's fields and the type of each value: what the shape would give away. */
const shapeOf = (body: unknown) => Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, Array.isArray(value) ? "array" : typeof value]);

describe("POST /api/subscribe timing", { timeout: 20_000 }, () => {
  it("does the same work for a new, an active, a pending and a suppressed address, and none of it on subscribers", async () => {
    const active = freshEmail("active");
    await activeSubscriber(active);
    const suppressed = freshEmail("suppressed");
    await activeSubscriber(suppressed);
    await setSubscriberStatus(suppressed, "suppressed");
    const pending = freshEmail("pending");
    await subscribeRecorded(pending).then(({ mailQueue, testEnv }) => drain(testEnv, mailQueue, { queueName: MAIL_QUEUE_NAME }));
    // Confirming sent the active and the suppressed address a confirmation and a welcome email.
    const [activeMail, suppressedMail] = await Promise.all([mailTo(active), mailTo(suppressed)]);
    expect(activeMail.map((m) => m.subject.startsWith("欢迎订阅")).sort()).toEqual([false, true]);
    const fresh = freshEmail("fresh");

    const runs = await Promise.all([fresh, active, pending, suppressed].map((email) => subscribeRecorded(email)));
    for (const run of runs) {
      expect(run.status).toBe(202);
      expect(run.body).toBe(runs[0]!.body);
      expect(run.beforeAnswer).toEqual(runs[0]!.beforeAnswer);
      for (const sql of run.beforeAnswer) expect(sql).not.toMatch(/\bsubscribers\b/);
      // Nothing runs after the answer in the request's isolate.
      expect(run.afterAnswer).toEqual([]);
      expect(run.mailQueue.pending).toHaveLength(1);
      expect(shapeOf(run.mailQueue.pending[0]!.body)).toEqual(shapeOf(runs[0]!.mailQueue.pending[0]!.body));
    }

    // The consumer makes the state-dependent decision: a confirmation for the new and the pending address only.
    for (const run of runs) await drain(run.testEnv, run.mailQueue, { queueName: MAIL_QUEUE_NAME });
    expect(await statusOf(fresh)).toBe("pending");
    expect(await statusOf(active)).toBe("active");
    expect(await statusOf(suppressed)).toBe("suppressed");
    expect(await mailTo(fresh)).toHaveLength(1);
    expect(await mailTo(pending)).toHaveLength(2);
    // Nothing new for the active and the suppressed address.
    expect(await mailTo(active)).toHaveLength(activeMail.length);
    expect(await mailTo(suppressed)).toHaveLength(suppressedMail.length);
  });
});
