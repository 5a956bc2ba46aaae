/**
 * Section 7 (opt-in, `npm run bench -- --scale`): the data side at a million readers.
 * The app runs in workerd inside bench/scale-worker.ts (the app, with D1 rows written
 * counted and, for the fan-out, deliver messages counted and dropped).
 *
 * - Import: 1,000,000 rows of "email,consent" in five POST /api/subscribers/import
 *   requests (this is also how the million subscribers get into the local D1).
 * - Console at 1,000,000 subscribers: dashboard, subscriber list, search, digest page,
 *   edition page; median of BENCH_SCALE_SAMPLES answers after one warm-up each.
 * - Fan-out of one edition to all of them, until every batch is enqueued.
 * - Ledger: D1 rows written and bytes of storage per recipient, over a whole send
 *   (fan-out, claim, provider, settle) of SEND_RECIPIENTS to a fast local fake Resend.
 * - Webhooks: one signed event, and one naming 50 recipients, at a million subscribers;
 *   email.delivered writes nothing.
 */
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { DEV_ADMIN_TOKEN } from "../../src/config.ts";
import { digests } from "../../src/digests/catalog.ts";
import { startFakeResend } from "../fake-resend.ts";
import { APP_CONFIG, APP_VARS, buildWorker, ROOT, SOURCE, tempDir, type Build } from "../lib/build.ts";
import { median, num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWorkerd, type Runtime } from "../lib/workerd.ts";

const SECTION = "7 scale data (workerd)";
const SUBSCRIBERS = Number(process.env.BENCH_SCALE_SUBSCRIBERS ?? 1_000_000);
const IMPORT_REQUESTS = 5;
const SEND_RECIPIENTS = Number(process.env.BENCH_SCALE_SEND ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 5);
const API_KEY = "re_bench_scale";
const WEBHOOK_SECRET = `whsec_${Buffer.from("bench-scale-webhook-signing-key!").toString("base64")}`;
const DOMAIN = "scale.example";
const auth = { authorization: `Bearer ${DEV_ADMIN_TOKEN}` };

/** The app's config with its stubs (aliases), entry bench/scale-worker.ts. */
function scaleConfig(): string {
  const app = unstable_readConfig({ config: APP_CONFIG });
  const alias = Object.fromEntries(Object.entries(app.alias ?? {}).map(([name, target]) => [name, join(SOURCE, String(target))]));
  const configPath = join(tempDir("scale-config"), "wrangler.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      name: "bench-scale",
      main: join(SOURCE, "bench/scale-worker.ts"),
      compatibility_date: app.compatibility_date,
      compatibility_flags: app.compatibility_flags,
      minify: true,
      alias,
    }),
  );
  return configPath;
}

async function start(build: Build, resendUrl: string): Promise<Runtime> {
  return startWorkerd(build, {
    configPath: APP_CONFIG,
    bindings: { ...APP_VARS, RESEND_API_KEY: API_KEY, RESEND_BASE_URL: resendUrl, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
}

const ms = (since: number) => performance.now() - since;

async function call(runtime: Runtime, path: string, init: RequestInit = {}): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(new URL(path, runtime.url), init);
  } catch (error) {
    throw new Error(`${init.method ?? "GET"} ${path}: ${error instanceof Error ? String(error.cause ?? error.message) : String(error)}`);
  }
  const body = await response.text();
  return { status: response.status, body, ms: ms(started) };
}

async function stats(runtime: Runtime): Promise<{ rowsWritten: number; deliveredBatches: number }> {
  return JSON.parse((await call(runtime, "/__bench/stats")).body) as { rowsWritten: number; deliveredBatches: number };
}

async function databaseBytes(runtime: Runtime): Promise<number> {
  const db = await runtime.miniflare.getD1Database("DB");
  const result = await db.prepare("SELECT 1").run();
  return (result.meta as { size_after?: number }).size_after ?? Number.NaN;
}

async function scalar(runtime: Runtime, sql: string, ...values: unknown[]): Promise<unknown> {
  const db = await runtime.miniflare.getD1Database("DB");
  const row = await db.prepare(sql).bind(...values).first<Record<string, unknown>>();
  return row ? Object.values(row)[0] : null;
}

async function applyMigrations(runtime: Runtime): Promise<void> {
  const { migratedDatabase } = await import("../lib/d1.ts");
  await migratedDatabase(runtime);
}

function row(figure: string, measured: string, reference: string, target: string, ok: boolean | null): Row {
  return { section: SECTION, figure, measured, reference, ratio: "", target, ok };
}

async function importMillion(runtime: Runtime): Promise<Row[]> {
  const perRequest = Math.ceil(SUBSCRIBERS / IMPORT_REQUESTS);
  const times: number[] = [];
  const statuses: number[] = [];
  let largest = 0;
  let created = 0;
  for (let part = 0; part < IMPORT_REQUESTS; part++) {
    const lines = ["email,consent"];
    for (let i = part * perRequest; i < Math.min(SUBSCRIBERS, (part + 1) * perRequest); i++) lines.push(`reader${i}@${DOMAIN},yes`);
    const csv = `${lines.join("\n")}\n`;
    largest = Math.max(largest, Buffer.byteLength(csv));
    const answer = await call(runtime, "/api/subscribers/import", { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body: csv });
    statuses.push(answer.status);
    times.push(answer.ms);
    if (answer.status === 200) created += (JSON.parse(answer.body) as { created: number }).created;
  }
  const total = times.reduce((a, b) => a + b, 0);
  const noServerError = statuses.every((status) => status < 500);
  return [
    row(
      `import ${SUBSCRIBERS.toLocaleString("en-US")} CSV rows: requests / largest body / 5xx`,
      `${IMPORT_REQUESTS} / ${num(largest / 1024 / 1024)} MB / ${statuses.filter((s) => s >= 500).length}`,
      `answers ${statuses.join(", ")}; ${created.toLocaleString("en-US")} created`,
      "≤ 5 / ≤ 24 MB / 0",
      noServerError && largest <= 24 * 1024 * 1024 && created === SUBSCRIBERS,
    ),
    row("import: time per request (200,000 rows), total", `${num(median(times) / 1000)} s median, ${num(total / 1000)} s total`, "", "", null),
  ];
}

async function login(runtime: Runtime): Promise<string> {
  const response = await fetch(new URL("/admin/login", runtime.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: runtime.url.origin },
    body: `token=${DEV_ADMIN_TOKEN}`,
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 303 || !cookie) throw new Error(`console sign-in answered ${response.status}`);
  return cookie;
}

async function timePage(runtime: Runtime, cookie: string, path: string, label: string): Promise<Row> {
  await call(runtime, path, { headers: { cookie } });
  const samples: number[] = [];
  let status = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const answer = await call(runtime, path, { headers: { cookie } });
    status = answer.status;
    samples.push(answer.ms);
  }
  const answer = median(samples);
  return row(`console at ${SUBSCRIBERS.toLocaleString("en-US")} subscribers: ${label}`, `${num(answer)} ms`, `GET ${path} → ${status}`, "≤ 300 ms", status === 200 && answer <= 300);
}

async function fanOut(runtime: Runtime, digest: string): Promise<{ rows: Row[]; edition: string }> {
  await call(runtime, "/__bench/reset?mode=fan-out-only", { method: "POST" });
  const bytesBefore = await databaseBytes(runtime);
  const started = performance.now();
  const opened = await call(runtime, "/api/sends", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ digest }) });
  const { edition, recipients } = JSON.parse(opened.body) as { edition: string; recipients: number };
  if (opened.status !== 202) throw new Error(`POST /api/sends answered ${opened.status}: ${opened.body}`);
  const batches = Math.ceil(recipients / 100);
  const deadline = Date.now() + 10 * 60_000;
  let seen = await stats(runtime);
  while (Date.now() < deadline) {
    seen = await stats(runtime);
    const complete = await scalar(runtime, "SELECT fanout_completed_at FROM delivery_runs WHERE edition_id = ?", edition);
    if (seen.deliveredBatches >= batches && complete) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = ms(started) / 1000;
  const bytes = (await databaseBytes(runtime)) - bytesBefore;
  const done = seen.deliveredBatches >= batches;
  return {
    edition,
    rows: [
      row(
        `fan-out of one edition to ${recipients.toLocaleString("en-US")} readers, every batch enqueued`,
        `${num(seconds)} s${done ? "" : " (timed out)"}`,
        `${seen.deliveredBatches.toLocaleString("en-US")} of ${batches.toLocaleString("en-US")} batches enqueued`,
        "≤ 120 s",
        done && seconds <= 120,
      ),
      row(
        "fan-out: D1 rows written / ledger bytes, per recipient",
        `${num(seen.rowsWritten / recipients, 3)} rows / ${num(bytes / recipients, 3)} B`,
        `${seen.rowsWritten.toLocaleString("en-US")} rows, ${num(bytes / 1024 / 1024)} MB (database size before and after)`,
        "",
        null,
      ),
    ],
  };
}

function sign(id: string, timestamp: number, body: string): string {
  const key = Buffer.from(WEBHOOK_SECRET.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

let webhookId = 0;
async function postWebhook(runtime: Runtime, payload: unknown) {
  const body = JSON.stringify(payload);
  const id = `msg_bench_${++webhookId}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return call(runtime, "/webhooks/resend", {
    method: "POST",
    headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": sign(id, timestamp, body) },
    body,
  });
}

const complaint = (to: string[]) => ({
  type: "email.complained",
  created_at: new Date().toISOString(),
  data: { created_at: new Date().toISOString(), email_id: "bench", from: "digest@example.com", to, subject: "bench" },
});

async function webhooks(runtime: Runtime): Promise<Row[]> {
  await postWebhook(runtime, complaint([`reader${SUBSCRIBERS - 1}@${DOMAIN}`]));
  const one: number[] = [];
  const fifty: number[] = [];
  for (let i = 0; i < SAMPLES * 2; i++) one.push((await postWebhook(runtime, complaint([`reader${i * 7 + 1}@${DOMAIN}`]))).ms);
  for (let i = 0; i < SAMPLES; i++) {
    const to = Array.from({ length: 50 }, (_, j) => `reader${100_000 + i * 50 + j}@${DOMAIN}`);
    const answer = await postWebhook(runtime, complaint(to));
    if (answer.status !== 200) throw new Error(`webhook of 50 answered ${answer.status}: ${answer.body}`);
    fifty.push(answer.ms);
  }
  const before = await stats(runtime);
  for (const type of ["email.delivered", "email.opened"]) await postWebhook(runtime, { type, created_at: "", data: { to: [`reader5@${DOMAIN}`] } });
  const written = (await stats(runtime)).rowsWritten - before.rowsWritten;
  const tooMany = await postWebhook(runtime, complaint(Array.from({ length: 51 }, (_, j) => `reader${j}@${DOMAIN}`)));
  return [
    row("signed webhook, one complaint (suppress + attribute)", `${num(median(one))} ms`, `median of ${one.length}`, "≤ 50 ms", median(one) <= 50),
    row("signed webhook naming 50 recipients (two D1 round trips)", `${num(median(fifty))} ms`, `median of ${fifty.length}`, "≤ 200 ms", median(fifty) <= 200),
    row("email.delivered + email.opened: D1 rows written", String(written), "", "0", written === 0),
    row("webhook naming 51 recipients", String(tooMany.status), tooMany.body.slice(0, 90), "400", tooMany.status === 400),
  ];
}

/** A whole send through the fake provider: rows written and bytes per recipient, fan-out to settle. */
async function wholeSend(build: Build): Promise<Row[]> {
  const fake = await startFakeResend({ requestsPerSecond: 1000, apiKey: API_KEY });
  const runtime = await start(build, fake.url.origin);
  try {
    await applyMigrations(runtime);
    const digest = digests[0]!.id;
    const lines = ["email,consent,digests"];
    for (let i = 0; i < SEND_RECIPIENTS; i++) lines.push(`reader${i}@${DOMAIN},yes,${digest}`);
    const imported = await call(runtime, "/api/subscribers/import", { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body: lines.join("\n") });
    if (imported.status !== 200) throw new Error(`import answered ${imported.status}: ${imported.body.slice(0, 200)}`);
    await call(runtime, "/__bench/reset?mode=deliver", { method: "POST" });
    const bytesBefore = await databaseBytes(runtime);
    const opened = await call(runtime, "/api/sends", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ digest }) });
    const { edition } = JSON.parse(opened.body) as { edition: string };
    const deadline = Date.now() + 5 * 60_000;
    let status: unknown = null;
    while (Date.now() < deadline && status !== "sent") {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await scalar(runtime, "SELECT status FROM editions WHERE id = ?", edition);
    }
    const { rowsWritten } = await stats(runtime);
    const bytes = (await databaseBytes(runtime)) - bytesBefore;
    const ledger = await scalar(
      runtime,
      `SELECT (SELECT COUNT(*) FROM delivery_batches WHERE edition_id = ?1) || ' batch rows, ' ||
              (SELECT SUM(length(recipients)) FROM delivery_batches WHERE edition_id = ?1) || ' B of ids'`,
      edition,
    );
    const rowsPer = rowsWritten / SEND_RECIPIENTS;
    const bytesPer = bytes / SEND_RECIPIENTS;
    return [
      row(
        `whole send to ${SEND_RECIPIENTS.toLocaleString("en-US")} (fan-out → provider → settled): D1 rows written per recipient`,
        num(rowsPer, 3),
        `${rowsWritten.toLocaleString("en-US")} rows (meta.rows_written); edition ${String(status)}; ${fake.stats.deliveries.size.toLocaleString("en-US")} delivered`,
        "≤ 0.1",
        status === "sent" && rowsPer <= 0.1,
      ),
      row("the same send: ledger bytes per recipient (database size before and after)", `${num(bytesPer, 3)} B`, String(ledger), "≤ 20 B", status === "sent" && bytesPer <= 20),
    ];
  } finally {
    await runtime.dispose();
    await fake.close();
  }
}

export async function scaleDataRows(log: (message: string) => void): Promise<Row[]> {
  const build = await buildWorker("scale", scaleConfig());
  const rows: Row[] = [];
  log("scale: a whole send, rows written and bytes per recipient");
  rows.push(...(await wholeSend(build)));
  const fake = await startFakeResend({ requestsPerSecond: 1000, apiKey: API_KEY });
  const runtime = await start(build, fake.url.origin);
  try {
    await applyMigrations(runtime);
    log(`scale: importing ${SUBSCRIBERS.toLocaleString("en-US")} rows in ${IMPORT_REQUESTS} requests`);
    rows.push(...(await importMillion(runtime)));
    const cookie = await login(runtime);
    const digest = digests[0]!.id;
    log("scale: console timings");
    rows.push(await timePage(runtime, cookie, "/admin", "dashboard"));
    rows.push(await timePage(runtime, cookie, "/admin/subscribers", "subscriber list"));
    rows.push(await timePage(runtime, cookie, `/admin/subscribers?cursor=${SUBSCRIBERS / 2}&status=active`, "subscriber list, page half-way"));
    rows.push(await timePage(runtime, cookie, `/admin/subscribers?q=reader${SUBSCRIBERS - 7}@`, "search, one match"));
    rows.push(await timePage(runtime, cookie, "/admin/subscribers?q=nobody.invalid", "search, no match (whole list scanned)"));
    rows.push(await timePage(runtime, cookie, `/admin/digests/${digest}`, "digest page (dry run with recipient count)"));
    log("scale: fan-out");
    const fanned = await fanOut(runtime, digest);
    rows.push(...fanned.rows);
    rows.push(await timePage(runtime, cookie, `/admin/editions/${fanned.edition}`, "edition page"));
    rows.push(await timePage(runtime, cookie, "/admin", "dashboard, with the edition"));
    log("scale: webhooks");
    rows.push(...(await webhooks(runtime)));
  } finally {
    await runtime.dispose();
    await fake.close();
  }
  writeScaleBlock(rows);
  return rows;
}

const BEGIN = "<!-- scale-data -->";
const END = "<!-- /scale-data -->";

/** This section's last figures, kept in bench/RESULTS.md between markers (a run without --scale keeps them). */
function writeScaleBlock(rows: Row[]): void {
  const path = join(ROOT, "bench/RESULTS.md");
  const lines = rows.map((r) => `| ${r.figure} | ${r.measured} | ${r.reference.replace(/\|/g, "\\|")} | ${r.target} | ${r.ok === null ? "" : r.ok ? "yes" : "**NO**"} |`);
  const block =
    `${BEGIN}\n## Scale: data (\`npm run bench -- --scale\`, ${new Date().toISOString()})\n\n` +
    `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end (bench/sections/scale-data.ts). The fan-out ` +
    "is timed until every deliver message is enqueued (bench/scale-worker.ts counts and drops them, so the sending it starts " +
    "does not slow it); rows written are D1's `meta.rows_written` summed over every statement the Worker ran.\n\n" +
    `| figure | measured | reference | target | ok |\n| --- | --- | --- | --- | --- |\n${lines.join("\n")}\n${END}`;
  writeFileSync(path, `${withoutScaleBlock(readFileSync(path, "utf8")).trimEnd()}\n\n${block}\n`);
}

function withoutScaleBlock(text: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  return start >= 0 && end > start ? text.slice(0, start) + text.slice(end + END.length) : text;
}

/** The scale block of a RESULTS.md, for a run that rewrites the file without measuring it. */
export function keptScaleBlock(text: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  return start >= 0 && end > start ? `\n${text.slice(start, end + END.length)}\n` : "";
}
