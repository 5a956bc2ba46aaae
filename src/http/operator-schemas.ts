/**
 * The request schemas of the operator API, in one place: the routes validate with them
 * and the OpenAPI document (src/http/openapi.ts) is generated from them, so the
 * published description can never drift from what the API accepts.
 */
import * as z from "zod/mini";
import { getDigest } from "../digests/catalog.ts";
import { emailAddress } from "../subscribers/email-address.ts";
import { subscriberStatuses } from "../subscribers/store.ts";

const trueOrFalse = z.boolean({ error: "expected true or false" });

/** Body of POST /api/sends. */
export const sendRequest = z
  .strictObject({
    digest: z.string({ error: "expected a digest id (string)" }).check(z.minLength(1, { error: "expected a digest id" })),
    dryRun: z.optional(trueOrFalse),
    testTo: z.optional(emailAddress),
    force: z.optional(trueOrFalse),
  })
  .check(z.refine((body) => !(body.dryRun && body.testTo), { error: "dryRun and testTo cannot be combined", path: ["testTo"] }));

export type SendRequest = z.infer<typeof sendRequest>;

/** `limit` of a subscriber list: a page of 1 to 500, `fallback` when absent. */
export const pageLimit = (fallback: number) =>
  z._default(
    z.coerce.number({ error: "expected a number" }).check(z.int(), z.minimum(1), z.maximum(500)),
    fallback,
  );

/** Query of GET /api/subscribers (and the console's subscriber list). */
export const subscriberListQuery = z.object({
  status: z.optional(z.enum(subscriberStatuses, { error: `expected one of ${subscriberStatuses.join(", ")}` })),
  digest: z.optional(z.string().check(z.refine((id) => getDigest(id) !== undefined, { error: "unknown digest id" }))),
  cursor: z.optional(
    z.pipe(z.string().check(z.regex(/^[1-9][0-9]{0,15}$/, { error: "expected the nextCursor of a previous page" })), z.transform(Number)),
  ),
  limit: pageLimit(100),
});

/** Largest CSV the import accepts (the API's and the console's), from the import itself. */
export { IMPORT_MAX_BYTES } from "../subscribers/csv-import.ts";
