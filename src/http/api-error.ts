/**
 * The one error shape of the API: `{ error: { code, message } }` with a status.
 * Throw it from any handler; app.onError turns it into the response.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A 400 message naming each wrong field: `digest: expected a digest id; force: expected true or false`. */
export function describeInvalidFields(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}
