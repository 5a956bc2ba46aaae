/** Operator API over subscribers (bearer ADMIN_TOKEN). */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app.ts";
import { getDigest } from "../digests/catalog.ts";
import { deleteOutboxMessagesTo } from "../delivery/outbox-store.ts";
import { requireAdmin } from "../http/admin-auth.ts";
import { ApiError, describeInvalidFields } from "../http/api-error.ts";
import { readTextBody } from "../http/read-body.ts";
import { toCsv } from "../subscribers/csv.ts";
import { importCsv } from "../subscribers/csv-import.ts";
import { canonicalEmail } from "../subscribers/email-address.ts";
import { erase, listSubscribers, subscriberStatuses, type Subscriber } from "../subscribers/store.ts";

export const subscribersAdmin = new Hono<AppEnv>();
subscribersAdmin.use("*", requireAdmin);

/** What the operator sees of a subscriber (the internal id stays internal). */
const view = (subscriber: Subscriber) => ({
  email: subscriber.email,
  status: subscriber.status,
  digests: subscriber.digests,
  consentAt: subscriber.consentAt,
  consentSource: subscriber.consentSource,
  createdAt: subscriber.createdAt,
  updatedAt: subscriber.updatedAt,
});

const listQuery = z.object({
  status: z.enum(subscriberStatuses, { error: `expected one of ${subscriberStatuses.join(", ")}` }).optional(),
  digest: z
    .string()
    .refine((id) => getDigest(id) !== undefined, { error: "unknown digest id" })
    .optional(),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, { error: "expected the nextCursor of a previous page" })
    .transform(Number)
    .optional(),
  limit: z.coerce.number({ error: "expected a number" }).int().min(1).max(500).default(100),
});

subscribersAdmin.get("/", async (c) => {
  const query = listQuery.safeParse(c.req.query());
  if (!query.success) {
    throw new ApiError(400, "invalid_query", describeInvalidFields(query.error));
  }
  const { cursor, ...filter } = query.data;
  const page = await listSubscribers(c.env.DB, { ...filter, ...(cursor ? { after: cursor } : {}) });
  return c.json({
    subscribers: page.subscribers.map(view),
    nextCursor: page.nextAfter === null ? null : String(page.nextAfter),
  });
});

/**
 * 100,000 rows of the export's layout take about 14 MB; what one request can write is
 * bounded by D1's queries per request, which importCsv checks before writing anything.
 */
const IMPORT_MAX_BYTES = 24 * 1024 * 1024;

subscribersAdmin.post("/import", async (c) => {
  const csv = await readTextBody(c, "text/csv", { maxBytes: IMPORT_MAX_BYTES, answer: "json" });
  const result = await importCsv(c.env.DB, csv, new Date());
  if (result.ok) return c.json(result.report);
  if (result.problem === "invalid-csv") throw new ApiError(400, "invalid_csv", result.message);
  if (result.problem === "too-large") throw new ApiError(413, "import_too_large", result.message);
  // The error shape, plus what was written before the failure.
  const error = new ApiError(503, "import_interrupted", result.message);
  return c.json({ ...error.toJSON(), notImportedFromLine: result.notImportedFromLine, report: result.report }, 503);
});

subscribersAdmin.delete("/:email", async (c) => {
  const email = canonicalEmail(c.req.param("email"));
  if (!(await erase(c.env.DB, email, new Date()))) {
    throw new ApiError(404, "subscriber_not_found", `no subscriber with the address ${email}`);
  }
  // Mail kept in the local outbox is personal data too.
  await deleteOutboxMessagesTo(c.env.DB, email);
  return c.body(null, 204);
});

/** GET /api/subscribers.csv, mounted beside /api/subscribers in app.ts (a mount path always adds a "/"). Every subscriber, oldest first. */
export const subscribersCsvExport = new Hono<AppEnv>();
subscribersCsvExport.use("*", requireAdmin);

subscribersCsvExport.get("/", async (c) => {
  const rows: string[][] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: Awaited<ReturnType<typeof listSubscribers>> = await listSubscribers(c.env.DB, { after, limit: 500 });
    for (const s of page.subscribers) {
      rows.push([s.email, s.status, s.digests.join(";"), s.consentAt ?? "", s.consentSource ?? "", s.createdAt]);
    }
    after = page.nextAfter;
  }
  const csv = toCsv(["email", "status", "digests", "consent_at", "consent_source", "created_at"], rows);
  return c.body(csv, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="subscribers.csv"',
  });
});
