/**
 * Whether a failed email may be sent again: the one place that reads the provider's
 * answer for that. Resend's error names are those of its API reference
 * (resend.com/docs/api-reference/errors) and of the SDK's RESEND_ERROR_CODE_KEY.
 *
 * - permanent: the provider refused the address itself (an invalid or refused recipient,
 *   a bounce, a complaint, a suppressed address). Sending again cannot help and would go
 *   against the provider's or the reader's decision, so it is never retried.
 * - temporary: anything not about the address: quota used up, rate limits, 5xx, timeouts,
 *   network errors, a stopped edition, and request problems an operator can fix (a key,
 *   the sender's domain). Retry-failed sends these again.
 */

export type FailureKind = "permanent" | "temporary";

export const FAILURE_KINDS: readonly FailureKind[] = ["permanent", "temporary"];

/** What the provider answered: a whole request's error (name and HTTP status), or one email's refusal inside an accepted batch (message only). */
export interface ProviderRefusal {
  name?: string;
  /** null: no HTTP answer at all (network error, timeout). */
  statusCode?: number | null;
  message: string;
}

/** Error names that say the recipient's address is wrong. */
const ADDRESS_ERRORS = new Set(["invalid_to_address"]);

/** Error names that say nothing about any address: the account, the sender or the provider's state. */
const NOT_ABOUT_AN_ADDRESS = new Set([
  "daily_quota_exceeded",
  "monthly_quota_exceeded",
  "rate_limit_exceeded",
  "internal_server_error",
  "application_error",
  "concurrent_idempotent_requests",
  "invalid_from_address",
  "missing_api_key",
  "invalid_api_key",
  "restricted_api_key",
  "security_error",
  "invalid_access",
  "invalid_region",
  "not_found",
  "method_not_allowed",
]);

/**
 * A message naming the recipient: Resend's validation of `to` ("Invalid `to` field. …"),
 * or a refusal, bounce, complaint or suppression of the address.
 */
const NAMES_THE_RECIPIENT = /`to`|\bto\b field|recipient|mailbox|bounce|complain|suppress/i;

export function failureKind({ name, statusCode, message }: ProviderRefusal): FailureKind {
  if (name !== undefined && ADDRESS_ERRORS.has(name)) return "permanent";
  if (name !== undefined && NOT_ABOUT_AN_ADDRESS.has(name)) return "temporary";
  if (statusCode === null || (statusCode !== undefined && (statusCode === 429 || statusCode >= 500))) return "temporary";
  // 401 and 403 are about the key or the sending domain, even when the message mentions
  // an address ("You can only send testing emails to your own email address").
  if (statusCode === 401 || statusCode === 403) return "temporary";
  return NAMES_THE_RECIPIENT.test(message) ? "permanent" : "temporary";
}
