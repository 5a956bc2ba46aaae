/** Operator API over subscribers (bearer ADMIN_TOKEN). */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app.ts";
import { requireAdmin } from "../http/admin-auth.ts";
import { ApiError, describeInvalidFields } from "../http/api-error.ts";
import { IMPORT_MAX_BYTES, subscriberListQuery } from "../http/operator-schemas.ts";
import { importCsv } from "../subscribers/csv-import.ts";
import { normaliseEmail } from "../subscribers/email-address.ts";
import { CSV_EXPORT_HEADERS, eraseSubscriber, subscribersCsv } from "../subscribers/operator-actions.ts";
import { listSubscribers, type Subscriber } from "../subscribers/store.ts";

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

subscribersAdmin.get("/", async (c) => {
  const query = subscriberListQuery.safeParse(c.req.query());
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

subscribersAdmin.post(
  "/import",
  bodyLimit({
    maxSize: IMPORT_MAX_BYTES,
    onError: (c) => c.json(new ApiError(413, "payload_too_large", "CSV is larger than 5 MB: split it"), 413),
  }),
  async (c) => {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "text/csv") {
      throw new ApiError(415, "unsupported_media_type", "send the CSV as Content-Type: text/csv");
    }
    const result = await importCsv(c.env.DB, await c.req.text(), new Date());
    if (!result.ok) throw new ApiError(400, "invalid_csv", result.message);
    return c.json(result.report);
  },
);

subscribersAdmin.delete("/:email", async (c) => {
  const email = normaliseEmail(c.req.param("email"));
  if (!(await eraseSubscriber(c.env.DB, email, new Date()))) {
    throw new ApiError(404, "subscriber_not_found", `no subscriber with the address ${email}`);
  }
  return c.body(null, 204);
});

/** GET /api/subscribers.csv, mounted beside /api/subscribers in app.ts (a mount path always adds a "/"). Every subscriber, oldest first. */
export const subscribersCsvExport = new Hono<AppEnv>();
subscribersCsvExport.use("*", requireAdmin);

subscribersCsvExport.get("/", async (c) => c.body(await subscribersCsv(c.env.DB), 200, CSV_EXPORT_HEADERS));
