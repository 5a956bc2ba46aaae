/** src/log.ts: every line the Worker logs is one JSON object with event, level and fields. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { log, logLine } from "../src/log.ts";

afterEach(() => vi.restoreAllMocks());

describe("log lines", () => {
  it("are one JSON object: event, level, then the fields", () => {
    const line = logLine("delivery", "info", { edition: "weekly-2026-06-01", batch: 0 });
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ event: "delivery", level: "info", edition: "weekly-2026-06-01", batch: 0 });
  });

  it("write an error as its name, message and stack, not as {}", () => {
    const cause = new Error("D1 is read-only");
    const fields = JSON.parse(logLine("recovery-failed", "error", { error: new TypeError("boom", { cause }) })) as {
      error: { name: string; message: string; stack: string; cause: { message: string } };
    };
    expect(fields.error).toMatchObject({ name: "TypeError", message: "boom", cause: { message: "D1 is read-only" } });
    expect(fields.error.stack).toContain("boom");
  });

  it("write each error of an AggregateError", () => {
    const line = logLine("cron-failed", "error", { error: new AggregateError([new Error("a"), new Error("b")], "2 failed") });
    expect(JSON.parse(line)).toMatchObject({ error: { name: "AggregateError", message: "2 failed", errors: [{ message: "a" }, { message: "b" }] } });
  });

  it("go to the console method of their level, so the dashboard's level filter agrees", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    log.info("fan-out", { page: 1 });
    log.warn("delivery-retry");
    log.error("unhandled-error", { path: "/x" });
    expect(info.mock.calls).toEqual([['{"event":"fan-out","level":"info","page":1}']]);
    expect(warn.mock.calls).toEqual([['{"event":"delivery-retry","level":"warn"}']]);
    expect(error.mock.calls).toEqual([['{"event":"unhandled-error","level":"error","path":"/x"}']]);
  });
});
