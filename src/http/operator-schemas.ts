/**
 * The request schemas of the operator API, in one place: the routes validate with them
 * and the OpenAPI document (src/http/openapi.ts) is generated from them, so the
 * published description can never drift from what the API accepts.
 */
import { z } from "zod";
import { getDigest } from "../digests/catalog.ts";
import { subscriberStatuses } from "../subscribers/store.ts";

/** Body of POST /api/sends. */
export const sendRequest = z
  .strictObject({
    digest: z.string({ error: "expected a digest id (string)" }).min(1, { error: "expected a digest id" }),
    dryRun: z.boolean({ error: "expected true or false" }).optional(),
    testTo: z.email({ error: "expected an email address" }).optional(),
    force: z.boolean({ error: "expected true or false" }).optional(),
  })
  .refine((body) => !(body.dryRun && body.testTo), { error: "dryRun and testTo cannot be combined", path: ["testTo"] });

export type SendRequest = z.infer<typeof sendRequest>;

/** Query of GET /api/subscribers (and the console's subscriber list). */
export const subscriberListQuery = z.object({
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

/**
 * Largest CSV POST /api/subscribers/import (and the console's upload) accepts: 100,000 rows
 * of the export's layout take about 14 MB; what one request can write is bounded by D1's
 * queries per request, which importCsv checks before writing anything.
 */
export const IMPORT_MAX_BYTES = 24 * 1024 * 1024;
