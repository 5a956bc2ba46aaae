/**
 * What a zod failure says, in one place. zod/mini ships no messages ("Invalid input" for
 * every issue): the English locale is loaded here, alone, so a 400 still says
 * `Unrecognized key: "forse"` (importing zod's full build would bundle every locale).
 * Every module that puts zod issues into words imports this one.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

/** `digest: expected a digest id; force: expected true or false` (a failure of the whole value is named "body"). */
export function describeInvalidFields(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}
