/**
 * Operator import. Two CSV layouts are read (header names in any order):
 * - `email,consent[,digests]`: rows with consent (true, yes, 1) become active subscribers;
 * - the export's own `email,status,digests,consent_at,consent_source,created_at`: each row
 *   becomes a subscriber in the status it had (an active row needs its consent_at), so an
 *   export imports back unchanged, opt-outs and bounces included.
 * `digests` lists digest ids separated by spaces or semicolons (all digests when empty).
 *
 * An import only creates subscribers. An address a subscriber already has, in whatever
 * status, is reported and left exactly as it is: an import never revives someone who
 * left or bounced, never activates a pending reader and never rewrites digests or consent.
 * Bad rows are rejected with their line numbers; the same address on several rows is one
 * subscriber of the union of their digests, in the most protective of their statuses.
 */
import { digests } from "../digests/catalog.ts";
import { parseCsv, unescapeFormula } from "./csv.ts";
import { emailAddress, refusalOf } from "./email-address.ts";
import { chunkRows, MAX_CHUNKS, STATEMENTS_PER_CHUNK, writeChunk, type NewSubscriber } from "./import-store.ts";
import { subscriberStatuses, type SubscriberStatus } from "./store.ts";
import { checkDigestIds } from "./subscription-flow.ts";
import { log } from "../log.ts";


/**
 * Largest CSV POST /api/subscribers/import (and the console's upload) accepts: 100,000 rows
 * of the export's layout take about 14 MB; what one request can write is bounded by D1's
 * queries per request, which importCsv checks before writing anything.
 */
export const IMPORT_MAX_BYTES = 24 * 1024 * 1024;

export interface ImportReport {
  /** Data rows read (header excluded). */
  rows: number;
  created: number;
  /** Always 0: an import never changes an existing subscriber (kept for clients of earlier versions). */
  updated: number;
  /** Rows folded into an earlier row with the same address. */
  merged: number;
  /** Addresses a pending or active subscriber already had. */
  existing: number;
  skippedUnsubscribed: number;
  skippedSuppressed: number;
  /** Every address not imported because a subscriber has it: the line it first appears on and its status. */
  skipped: { line: number; status: SubscriberStatus }[];
  rejected: { line: number; reason: string }[];
}

export type ImportResult =
  | { ok: true; report: ImportReport }
  | { ok: false; problem: "invalid-csv"; message: string }
  /** More writes than one request may make: nothing was written. */
  | { ok: false; problem: "too-large"; message: string }
  /** A write failed: rows before `notImportedFromLine` are in as `report` says, nothing from it on is. */
  | { ok: false; problem: "interrupted"; message: string; report: ImportReport; notImportedFromLine: number };

const COLUMNS = ["email", "consent", "status", "digests", "consent_at", "consent_source", "created_at"];
const CONSENT_YES = new Set(["true", "yes", "1"]);
/** Most protective first: merged rows keep the earliest status of this list. */
const PROTECTION = ["suppressed", "unsubscribed", "active", "pending"] as const satisfies readonly SubscriberStatus[];

type Cell = (name: string) => string;
type RowCheck = { ok: true; row: NewSubscriber } | { ok: false; reason: string };

function checkDate(cell: Cell, name: string): { ok: true; value: string | null } | { ok: false; reason: string } {
  const text = cell(name);
  if (text === "") return { ok: true, value: null };
  const time = Date.parse(text);
  if (Number.isNaN(time)) return { ok: false, reason: `${name} "${text}" is not a date (expected ISO 8601, e.g. 2026-01-31T08:00:00.000Z)` };
  return { ok: true, value: new Date(time).toISOString() };
}

/** One data row as a subscriber to create, or why it cannot be. */
function checkRow(cell: Cell, has: (name: string) => boolean, now: Date): RowCheck {
  const address = emailAddress.safeParse(cell("email"));
  if (!address.success) return { ok: false, reason: refusalOf(address.error) };
  const consentAt = checkDate(cell, "consent_at");
  if (!consentAt.ok) return consentAt;
  const createdAt = checkDate(cell, "created_at");
  if (!createdAt.ok) return createdAt;

  let status: SubscriberStatus;
  if (has("consent")) {
    if (!CONSENT_YES.has(cell("consent").toLowerCase())) {
      return { ok: false, reason: `no consent: consent is "${cell("consent")}", expected true, yes or 1` };
    }
    status = "active";
  } else {
    const given = subscriberStatuses.find((known) => known === cell("status").toLowerCase());
    if (!given) return { ok: false, reason: `status is "${cell("status")}", expected one of ${subscriberStatuses.join(", ")}` };
    if (given === "active" && consentAt.value === null) {
      return { ok: false, reason: "an active row needs consent_at: when the reader gave consent" };
    }
    status = given;
  }

  const listed = cell("digests").split(/[\s;,|]+/).filter(Boolean);
  const chosen = checkDigestIds(listed.length > 0 ? listed : digests.map((digest) => digest.id));
  if (!chosen.ok) return { ok: false, reason: chosen.message };
  return {
    ok: true,
    row: {
      email: address.data,
      status,
      digests: chosen.ids,
      consentAt: consentAt.value ?? (status === "active" ? now.toISOString() : null),
      consentSource: has("consent_source") ? cell("consent_source") || null : "csv import",
      createdAt: createdAt.value,
    },
  };
}

function merge(earlier: NewSubscriber, later: NewSubscriber): NewSubscriber {
  const union = [...new Set([...earlier.digests, ...later.digests])];
  const keep = PROTECTION.indexOf(later.status) < PROTECTION.indexOf(earlier.status) ? later : earlier;
  return { ...keep, digests: union };
}

export async function importCsv(db: D1Database, text: string, now: Date): Promise<ImportResult> {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    return { ok: false, problem: "invalid-csv", message: `CSV is malformed: ${(error as Error).message}` };
  }
  const [header, ...data] = records;
  const names = header?.fields.map((name) => unescapeFormula(name.trim()).toLowerCase()) ?? [];
  const has = (name: string) => names.includes(name);
  if (!has("email") || has("consent") === has("status") || names.some((name) => !COLUMNS.includes(name)) || new Set(names).size !== names.length) {
    return {
      ok: false,
      problem: "invalid-csv",
      message:
        `line 1 must be the header "email,consent" or "email,consent,digests", or the export's ` +
        `"email,status,digests,consent_at,consent_source,created_at" (got "${names.join(",")}")`,
    };
  }

  const rejected: ImportReport["rejected"] = [];
  const byEmail = new Map<string, { line: number; row: NewSubscriber }>();
  let merged = 0;
  for (const { line, fields } of data) {
    const cell: Cell = (name) => {
      const raw = fields[names.indexOf(name)] ?? "";
      // Free text keeps its spaces; everything else is trimmed.
      return name === "consent_source" ? unescapeFormula(raw) : unescapeFormula(raw.trim()).trim();
    };
    const checked = checkRow(cell, has, now);
    if (!checked.ok) {
      rejected.push({ line, reason: checked.reason });
      continue;
    }
    const earlier = byEmail.get(checked.row.email);
    if (earlier) {
      earlier.row = merge(earlier.row, checked.row);
      merged++;
    } else {
      byEmail.set(checked.row.email, { line, row: checked.row });
    }
  }

  const entries = [...byEmail.values()];
  const chunks = chunkRows(entries.map((entry) => entry.row));
  if (chunks.length > MAX_CHUNKS) {
    const rowsPerFile = Math.floor((entries.length * MAX_CHUNKS) / chunks.length);
    return {
      ok: false,
      problem: "too-large",
      message:
        `this CSV needs ${chunks.length} write batches but one request may make ${MAX_CHUNKS} ` +
        `(${STATEMENTS_PER_CHUNK} statements each, within D1's 50 queries per request): nothing was imported; ` +
        `split it into files of at most ${rowsPerFile.toLocaleString("en-US")} rows`,
    };
  }

  const report: ImportReport = {
    rows: data.length,
    created: 0,
    updated: 0,
    merged,
    existing: 0,
    skippedUnsubscribed: 0,
    skippedSuppressed: 0,
    skipped: [],
    rejected,
  };
  let offset = 0;
  for (const chunk of chunks) {
    let existing: Map<number, SubscriberStatus>;
    try {
      existing = await writeChunk(db, chunk.json, now);
    } catch (error) {
      const line = entries[offset]?.line ?? 0;
      log.error("import-interrupted", { line, error });
      return {
        ok: false,
        problem: "interrupted",
        notImportedFromLine: line,
        report,
        message:
          `the import stopped at line ${line} (${error instanceof Error ? error.message : String(error)}): ` +
          `every address first appearing before line ${line} is imported as the report says, none first appearing on line ${line} or later was written; ` +
          `sending the same CSV again is safe (addresses already imported are reported as existing)`,
      };
    }
    chunk.rows.forEach((_, index) => {
      const status = existing.get(index);
      const line = entries[offset + index]?.line ?? 0;
      if (status === undefined) report.created++;
      else {
        report.skipped.push({ line, status });
        if (status === "suppressed") report.skippedSuppressed++;
        else if (status === "unsubscribed") report.skippedUnsubscribed++;
        else report.existing++;
      }
    });
    offset += chunk.rows.length;
  }
  return { ok: true, report };
}
