/**
 * Operator import: CSV with a header row `email,consent` and an optional `digests`
 * column (digest ids separated by spaces or semicolons; all digests when empty).
 * Rows with consent become active subscribers; rows without consent, with a bad
 * address or an unknown digest are rejected with their line numbers; the same address
 * on several rows is merged into one subscriber of the union of their digests.
 */
import { digests } from "../digests/catalog.ts";
import { parseCsv } from "./csv.ts";
import { checkEmail } from "./email-address.ts";
import { importSubscribers, type ImportCounts, type ImportRow } from "./store.ts";
import { checkDigestIds } from "./subscription-flow.ts";

export interface ImportReport extends ImportCounts {
  /** Data rows read (header excluded). */
  rows: number;
  /** Rows folded into an earlier row with the same address. */
  merged: number;
  rejected: { line: number; reason: string }[];
}

const CONSENT_YES = new Set(["true", "yes", "1"]);
const COLUMNS = ["email", "consent", "digests"];

export async function importCsv(
  db: D1Database,
  text: string,
  now: Date,
): Promise<{ ok: true; report: ImportReport } | { ok: false; message: string }> {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    return { ok: false, message: `CSV is malformed: ${(error as Error).message}` };
  }
  const [header, ...data] = records;
  const names = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  const unknown = names.filter((name) => !COLUMNS.includes(name));
  const column = (name: string) => names.indexOf(name);
  if (column("email") < 0 || column("consent") < 0 || unknown.length > 0 || new Set(names).size !== names.length) {
    return {
      ok: false,
      message: `line 1 must be the header "email,consent" or "email,consent,digests" (got "${names.join(",")}")`,
    };
  }

  const rejected: ImportReport["rejected"] = [];
  const byEmail = new Map<string, ImportRow>();
  let merged = 0;
  for (const { line, fields } of data) {
    const cell = (name: string) => (column(name) < 0 ? "" : (fields[column(name)] ?? "").trim());
    const address = checkEmail(cell("email"));
    if (!address.ok) {
      rejected.push({ line, reason: address.reason });
      continue;
    }
    if (!CONSENT_YES.has(cell("consent").toLowerCase())) {
      rejected.push({ line, reason: `no consent: consent is "${cell("consent")}", expected true, yes or 1` });
      continue;
    }
    const listed = cell("digests").split(/[\s;,|]+/).filter(Boolean);
    const chosen = checkDigestIds(listed.length > 0 ? listed : digests.map((digest) => digest.id));
    if (!chosen.ok) {
      rejected.push({ line, reason: chosen.message });
      continue;
    }
    const earlier = byEmail.get(address.email);
    if (earlier) {
      earlier.digests = [...new Set([...earlier.digests, ...chosen.ids])];
      merged++;
    } else {
      byEmail.set(address.email, { email: address.email, digests: chosen.ids });
    }
  }
  const counts = await importSubscribers(db, [...byEmail.values()], now);
  return { ok: true, report: { rows: data.length, merged, rejected, ...counts } };
}
