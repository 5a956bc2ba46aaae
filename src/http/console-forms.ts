/**
 * The console's forms and its subscriber search (src/routes/admin.ts), each field sent
 * once: a repeated one is refused, never cut to its first value.
 */
import * as z from "zod/mini";
import { emailAddress } from "../subscribers/email-address.ts";
import { pageLimit, subscriberListQuery } from "./operator-schemas.ts";
import { singleField } from "./validate.ts";

export const consoleQuery = z.extend(subscriberListQuery, {
  q: z.optional(z.string().check(z.maxLength(254, { error: "at most 254 characters" }))),
  limit: pageLimit(50),
});

export const loginForm = z.object({ token: z._default(singleField, "") });

/** The test copy's address, checked as the API checks `testTo` (and named so in the message). */
export const testCopyForm = z.pipe(
  z.pipe(z.object({ to: z._default(singleField, "") }), z.transform(({ to }) => ({ testTo: to.trim() }))),
  z.object({ testTo: emailAddress }),
);

/** The send form: `force=1` when checked; the confirmation step adds the recipient count it showed. */
export const sendForm = z.object({
  force: z.optional(z.literal("1", { error: 'expected "1" when checked' })),
  recipients: z.optional(z.coerce.number({ error: "expected a number" }).check(z.int(), z.nonnegative())),
});

export const eraseForm = z.object({ email: singleField });

export const uploadForm = z.object({ file: z.custom<File>((value) => value instanceof File, { error: "expected one CSV file" }) });
