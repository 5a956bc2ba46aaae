/**
 * The page counterpart of ApiError: thrown by a handler of an HTML route (a form post,
 * a link from an email), answered by app.onError with the page and the status.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Html } from "../pages/layout.ts";

export class PageError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly page: Html,
  ) {
    super(`page answered with ${status}`);
    this.name = "PageError";
  }
}
