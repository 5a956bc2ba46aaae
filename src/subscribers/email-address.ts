/**
 * Email address canonicalisation and validation. One mailbox has one identity:
 * addresses are stored in canonical form, lower-cased whole (no mail provider in use
 * tells `Reader@x` from `reader@x`, and treating them as two subscribers lets anyone
 * mail one inbox under many names) with the domain in its ASCII (IDNA/punycode) form,
 * which is also the form mail is sent to.
 */
import * as z from "zod/mini";

export type EmailCheck =
  | {
      ok: true;
      /** The canonical address: the subscriber's identity and where mail goes. */
      email: string;
    }
  | { ok: false; reason: string };

const MAX_LENGTH = 254;
// Printable ASCII without whitespace, quotes, angle brackets, commas or semicolons:
// strict enough to keep header injection and lists out, loose enough for real addresses.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Characters a URL parser would read as something other than a host name (port, path,
// user info, percent-escape): never part of a mail domain.
const NOT_IN_DOMAIN = /[\s/\\?#@:%[\]<>"]/;
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

/** `Name <addr>` (as mail headers and providers write recipients) → `addr`; otherwise trimmed. */
function unwrapDisplayName(input: string): string {
  const trimmed = input.trim();
  const match = /^[^<>]*<([^<>]*)>$/.exec(trimmed);
  return match?.[1] !== undefined ? match[1].trim() : trimmed;
}

/** The domain in ASCII (lower case, IDN labels as punycode), or why it cannot be. */
function asciiDomain(domain: string): { ok: true; domain: string } | { ok: false; reason: string } {
  if (NOT_IN_DOMAIN.test(domain)) return { ok: false, reason: `domain "${domain}" is not a valid host name` };
  let ascii = domain.toLowerCase();
  // Only a domain with non-ASCII characters or punycode labels (which must decode) needs
  // IDNA, and its cost on 100,000-row imports.
  if (/[^\x21-\x7e]/.test(domain) || /(^|\.)xn--/i.test(domain)) {
    try {
      // The WHATWG URL parser applies IDNA (UTS #46): case folding, width mapping, punycode.
      ascii = new URL(`http://${domain}`).hostname;
    } catch {
      return { ok: false, reason: `domain "${domain}" cannot be converted to an ASCII (IDNA) host name` };
    }
  }
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, reason: `domain "${domain}" has no dot` };
  // An all-digit last label is an IP address (the parser turns 0x7f.1 into 127.0.0.1), not a mail domain.
  if (!labels.every((label) => DOMAIN_LABEL.test(label)) || /^[0-9]+$/.test(labels.at(-1) ?? "")) {
    return { ok: false, reason: `domain "${domain}" is not a valid host name` };
  }
  return { ok: true, domain: ascii };
}

/** Canonicalises and validates; the reason says what is wrong, in words a reader understands. */
function checkEmail(input: string): EmailCheck {
  const address = unwrapDisplayName(input);
  if (address === "") return { ok: false, reason: "email is empty" };
  // Control characters (NUL, line breaks, DEL) are refused as what they are, before any
  // other rule could call them "non-ASCII" or read them as part of a domain.
  const control = CONTROL_CHARACTER.exec(address);
  if (control) return { ok: false, reason: `地址中含有不允许的字符（控制字符 U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}），请删除后重新输入` };
  if (address.length > MAX_LENGTH) return { ok: false, reason: `email is longer than ${MAX_LENGTH} characters` };
  const at = address.lastIndexOf("@");
  if (at < 0) return { ok: false, reason: "email has no @" };
  const local = address.slice(0, at).toLowerCase();
  if (local === "") return { ok: false, reason: "email has nothing before the @" };
  if (/[^\x20-\x7e]/.test(local)) {
    return {
      ok: false,
      reason: "the part before the @ contains non-ASCII characters: mail to such an address cannot be delivered, use an ASCII address",
    };
  }
  if (local.length > 64) return { ok: false, reason: "the part before the @ is longer than 64 characters" };
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return { ok: false, reason: "the part before the @ contains characters not allowed in an address" };
  }
  if (address.slice(at + 1) === "") return { ok: false, reason: "email has no domain after the @" };
  const domain = asciiDomain(address.slice(at + 1));
  if (!domain.ok) return domain;
  const email = `${local}@${domain.domain}`;
  if (email.length > MAX_LENGTH) {
    return { ok: false, reason: `email is longer than ${MAX_LENGTH} characters in its ASCII form (${email})` };
  }
  return { ok: true, email };
}

/**
 * The canonical form of an address to look up (webhook recipients, operator paths).
 * An address that does not validate is still folded the same way, so it matches nothing
 * rather than something else.
 */
export function canonicalEmail(input: string): string {
  const checked = checkEmail(input);
  return checked.ok ? checked.email : unwrapDisplayName(input).toLowerCase();
}

/**
 * "An email address" wherever one comes in (subscribe, import, an operator's test copy):
 * a string, canonicalised; a refused address fails with the reason checkEmail gives.
 */
export const emailAddress = z.pipe(
  // Described to clients (the OpenAPI document) as an email address; checkEmail decides which.
  z.string({ error: "expected an email address (string)" }).register(z.globalRegistry, { format: "email" }),
  z.transform((input: string, context) => {
    const checked = checkEmail(input);
    if (checked.ok) return checked.email;
    context.issues.push({ code: "custom", message: checked.reason, input });
    return z.NEVER;
  }),
);

/** Why emailAddress refused an address, in checkEmail's words. */
export const refusalOf = (error: z.core.$ZodError): string => error.issues[0]?.message ?? "not an email address";

/** Domains of one mail service where dots in the local part are ignored, folded to one name. */
const DOTLESS_DOMAINS: Record<string, string> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };

/**
 * The inbox behind a canonical address, what rate limits count: `+tag` removed, and for
 * Gmail dots dropped and googlemail.com folded into gmail.com (Gmail delivers
 * `a.b+x@googlemail.com` to `ab@gmail.com`). Only a key: the stored address stays as typed.
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const untagged = local.replace(/\+.*$/, "") || local;
  const folded = DOTLESS_DOMAINS[email.slice(at + 1)];
  return folded ? `${untagged.replace(/\./g, "")}@${folded}` : `${untagged}${email.slice(at)}`;
}
