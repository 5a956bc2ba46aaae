/**
 * No enumeration by timing: the answer to POST /api/subscribe must not wait on any work
 * that depends on the address's state. Speed belongs in the bench (npm run bench, section
 * 6 measures the latency per state); here the queries the Worker runs before its answer
 * are recorded and must be the same, and touch no subscriber, whatever the address's state.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { activeSubscriber, freshEmail, freshIp, ORIGIN, statusOf } from "./subscribe-helpers.ts";

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

/** The queries prepared before the answer, and those prepared after it (in waitUntil). */
async function subscribeRecorded(email: string) {
  const log: string[] = [];
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}/api/subscribe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify({ email }),
  }) as Request<unknown, IncomingRequestCfProperties>;
  const response = await worker.fetch(request, { ...env, DB: recordingDb(log) }, ctx);
  const beforeAnswer = [...log];
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: await response.text(), beforeAnswer, afterAnswer: log.slice(beforeAnswer.length) };
}

// The first confirmation email loads React Email, which takes seconds on a cold isolate.
describe("POST /api/subscribe timing", { timeout: 20_000 }, () => {
  it("answers before any query on subscribers, with the same queries for a new and a known address", async () => {
    const known = freshEmail("known");
    await activeSubscriber(known);
    const fresh = freshEmail("fresh");

    const forKnown = await subscribeRecorded(known);
    const forNew = await subscribeRecorded(fresh);

    expect(forKnown.status).toBe(202);
    expect(forNew.body).toBe(forKnown.body);
    expect(forNew.beforeAnswer).toEqual(forKnown.beforeAnswer);
    for (const sql of forNew.beforeAnswer) expect(sql).not.toMatch(/\bsubscribers\b/);
    // The state-dependent work still happens, after the answer.
    expect(forNew.afterAnswer.some((sql) => /INSERT INTO subscribers\b/.test(sql))).toBe(true);
    expect(await statusOf(fresh)).toBe("pending");
    expect(await statusOf(known)).toBe("active");
  });
});
