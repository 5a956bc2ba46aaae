/** Operator API over subscribers (bearer ADMIN_TOKEN). */
import { factory } from "../http/app-env.ts";
import { requireAdmin } from "../http/admin-auth.ts";
import { ApiError } from "../http/api-error.ts";
import { IMPORT_MAX_BYTES, subscriberListQuery } from "../http/operator-schemas.ts";
import { readBody } from "../http/read-body.ts";
import { apiError, validate } from "../http/validate.ts";
import { importCsv } from "../subscribers/csv-import.ts";
import { canonicalEmail } from "../subscribers/email-address.ts";
import { CSV_EXPORT_HEADERS, eraseSubscriber, subscribersCsv } from "../subscribers/operator-actions.ts";
import { listSubscribers } from "../subscribers/operator-store.ts";
import type { Subscriber } from "../subscribers/store.ts";

export const subscribersAdmin = factory.createApp();
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

subscribersAdmin.get("/", validate("query", subscriberListQuery, apiError("invalid_query")), async (c) => {
  const { cursor, ...filter } = c.req.valid("query");
  const page = await listSubscribers(c.env.DB, { ...filter, ...(cursor ? { after: cursor } : {}) });
  return c.json({
    subscribers: page.subscribers.map(view),
    nextCursor: page.nextAfter === null ? null : String(page.nextAfter),
  });
});

// The CSV is parsed and checked line by line by importCsv, which reports every rejected line.
subscribersAdmin.post("/import", readBody({ csv: { maxBytes: IMPORT_MAX_BYTES, answer: "json" } }), async (c) => {
  const result = await importCsv(c.env.DB, await c.req.text(), new Date());
  if (result.ok) return c.json(result.report);
  if (result.problem === "invalid-csv") throw new ApiError(400, "invalid_csv", result.message);
  if (result.problem === "too-large") throw new ApiError(413, "import_too_large", result.message);
  // The error shape, plus what was written before the failure.
  const error = new ApiError(503, "import_interrupted", result.message);
  return c.json({ ...error.toJSON(), notImportedFromLine: result.notImportedFromLine, report: result.report }, 503);
});

subscribersAdmin.delete("/:email", async (c) => {
  const email = canonicalEmail(c.req.param("email"));
  if (!(await eraseSubscriber(c.env.DB, email, new Date()))) {
    throw new ApiError(404, "subscriber_not_found", `no subscriber with the address ${email}`);
  }
  return c.body(null, 204);
});

/** GET /api/subscribers.csv, mounted beside /api/subscribers in app.ts (a mount path always adds a "/"). Every subscriber, oldest first. */
export const subscribersCsvExport = factory.createApp();
subscribersCsvExport.use("*", requireAdmin);

subscribersCsvExport.get("/", async (c) => c.body(await subscribersCsv(c.env.DB), 200, CSV_EXPORT_HEADERS));
