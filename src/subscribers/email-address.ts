/**
 * Email address normalisation and validation. Addresses are stored normalised:
 * trimmed, domain lower-cased (the local part is case-sensitive by RFC 5321, so it
 * is kept as typed).
 */

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

const MAX_LENGTH = 254;
// Printable ASCII without whitespace, quotes, angle brackets, commas or semicolons:
// strict enough to keep header injection and lists out, loose enough for real addresses.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function normaliseEmail(input: string): string {
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf("@");
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

/** Normalises and validates; the reason says what is wrong, in words a reader understands. */
export function checkEmail(input: string): EmailCheck {
  const email = normaliseEmail(input);
  if (email === "") return { ok: false, reason: "email is empty" };
  if (email.length > MAX_LENGTH) return { ok: false, reason: `email is longer than ${MAX_LENGTH} characters` };
  const at = email.lastIndexOf("@");
  if (at < 0) return { ok: false, reason: "email has no @" };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === "") return { ok: false, reason: "email has nothing before the @" };
  if (local.length > 64) return { ok: false, reason: "the part before the @ is longer than 64 characters" };
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return { ok: false, reason: "the part before the @ contains characters not allowed in an address" };
  }
  if (domain === "") return { ok: false, reason: "email has no domain after the @" };
  const labels = domain.split(".");
  if (labels.length < 2) return { ok: false, reason: `domain "${domain}" has no dot` };
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) {
    return { ok: false, reason: `domain "${domain}" is not a valid host name` };
  }
  if (/^[0-9]+$/.test(labels.at(-1) ?? "")) return { ok: false, reason: `domain "${domain}" is not a valid host name` };
  return { ok: true, email };
}
