/**
 * The classifier of provider answers (src/email/failure-kind.ts): permanent when the
 * provider refused the address itself, temporary for everything retry-failed may send
 * again. Names and messages as Resend documents them (resend.com/docs/api-reference/errors).
 */
import { describe, expect, it } from "vitest";
import { failureKind, type ProviderRefusal } from "../src/email/failure-kind.ts";

describe("failureKind", () => {
  it.each<[string, ProviderRefusal]>([
    ["invalid_to_address", { name: "invalid_to_address", statusCode: 422, message: "Invalid `to` field." }],
    [
      "a 422 validation error naming `to`",
      { name: "validation_error", statusCode: 422, message: "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format." },
    ],
    ["a 400 validation error naming the to field", { name: "validation_error", statusCode: 400, message: "The to field is invalid." }],
    ["one email refused inside an accepted batch", { message: "Invalid `to` field: bo@example.com" }],
    ["a mailbox that refused the message", { message: "The recipient's mailbox refused the message" }],
    ["a bounced address", { message: "Email bounced: mailbox does not exist" }],
    ["a suppressed address", { message: "The address is on the suppression list" }],
    ["a complaint", { message: "The recipient complained: marked as spam" }],
  ])("permanent: %s", (_what, answer) => {
    expect(failureKind(answer)).toBe("permanent");
  });

  it.each<[string, ProviderRefusal]>([
    ["daily quota", { name: "daily_quota_exceeded", statusCode: 429, message: "You have reached your daily email sending quota." }],
    ["monthly quota", { name: "monthly_quota_exceeded", statusCode: 429, message: "You have reached your monthly email sending quota." }],
    ["rate limit", { name: "rate_limit_exceeded", statusCode: 429, message: "Too many requests. Please limit the number of requests per second." }],
    ["a bare 429", { name: "something_new", statusCode: 429, message: "slow down" }],
    ["internal_server_error", { name: "internal_server_error", statusCode: 500, message: "An unexpected error occurred." }],
    ["application_error", { name: "application_error", statusCode: 500, message: "An unexpected error occurred." }],
    ["a 503 naming the recipient", { name: "unavailable", statusCode: 503, message: "recipient server unavailable" }],
    ["a network error or timeout", { name: "application_error", statusCode: null, message: "Unable to fetch data. The request could not be resolved." }],
    ["a timeout without a name", { statusCode: null, message: "no answer within 30 s (timed out)" }],
    ["the same key in flight", { name: "concurrent_idempotent_requests", statusCode: 409, message: "Same idempotency key used while original request is still in progress." }],
    [
      "invalid_from_address (the sender, not the reader)",
      { name: "invalid_from_address", statusCode: 422, message: "Invalid `from` field. The email address needs to follow the `email@example.com` format." },
    ],
    ["an invalid API key", { name: "invalid_api_key", statusCode: 403, message: "API key is invalid." }],
    [
      "an unverified domain's testing-only limit, though it mentions an address",
      { name: "validation_error", statusCode: 403, message: "You can only send testing emails to your own email address (you@example.com)." },
    ],
    ["a 422 validation error about another field", { name: "validation_error", statusCode: 422, message: "The `subject` field is required." }],
    ["a missing field", { name: "missing_required_field", statusCode: 422, message: "The request body is missing one or more required fields." }],
  ])("temporary: %s", (_what, answer) => {
    expect(failureKind(answer)).toBe("temporary");
  });
});
