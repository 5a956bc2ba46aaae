/**
 * Email address canonicalisation and validation. One mailbox has one identity:
 * addresses are stored in canonical form, lower-cased whole (no mail provider in use
 * tells `Reader@x` from `reader@x`, and treating them as two subscribers lets anyone
 * mail one inbox under many names) with the domain in its ASCII (IDNA/punycode) form,
 * which is also the form mail is sent to.
 */
import * as z from "zod/mini";
import { readerReasonOf } from "../zod-messages.ts";

export type EmailCheck =
  | {
      ok: true;
      /** The canonical address: the subscriber's identity and where mail goes. */
      email: string;
    }
  | Refusal;

/** Why an address is refused: `reason` in English (the API, logs), `readerReason` in Chinese (pages), saying what to do. */
export interface Refusal {
  ok: false;
  reason: string;
  readerReason: string;
}

const refuse = (reason: string, readerReason: string): Refusal => ({ ok: false, reason, readerReason });
const NOT_A_HOST_NAME = "@ 后面的域名写得不对，请检查拼写（例如 qq.com、163.com）。";

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
function asciiDomain(domain: string): { ok: true; domain: string } | Refusal {
  if (NOT_IN_DOMAIN.test(domain)) return refuse(`domain "${domain}" is not a valid host name`, NOT_A_HOST_NAME);
  let ascii = domain.toLowerCase();
  // Only a domain with non-ASCII characters or punycode labels (which must decode) needs
  // IDNA, and its cost on 100,000-row imports.
  if (/[^\x21-\x7e]/.test(domain) || /(^|\.)xn--/i.test(domain)) {
    try {
      // The WHATWG URL parser applies IDNA (UTS #46): case folding, width mapping, punycode.
      ascii = new URL(`http://${domain}`).hostname;
    } catch {
      return refuse(`domain "${domain}" cannot be converted to an ASCII (IDNA) host name`, NOT_A_HOST_NAME);
    }
  }
  const labels = ascii.split(".");
  if (labels.length < 2) {
    return refuse(`domain "${domain}" has no dot`, "@ 后面的域名不完整，缺少后缀，请补全（例如 qq.com、163.com）。");
  }
  // An all-digit last label is an IP address (the parser turns 0x7f.1 into 127.0.0.1), not a mail domain.
  if (!labels.every((label) => DOMAIN_LABEL.test(label)) || /^[0-9]+$/.test(labels.at(-1) ?? "")) {
    return refuse(`domain "${domain}" is not a valid host name`, NOT_A_HOST_NAME);
  }
  return { ok: true, domain: ascii };
}

/** Canonicalises and validates; the reason says what is wrong, in words a reader understands. */
function checkEmail(input: string): EmailCheck {
  const address = unwrapDisplayName(input);
  if (address === "") return refuse("email is empty", "请填写邮箱地址。");
  // Control characters (NUL, line breaks, DEL) are refused as what they are, before any
  // other rule could call them "non-ASCII" or read them as part of a domain.
  const control = CONTROL_CHARACTER.exec(address);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return refuse(`email contains an invalid character (control character ${code})`, `地址中含有不允许的字符（控制字符 ${code}），请删除后重新输入。`);
  }
  if (address.length > MAX_LENGTH) {
    return refuse(`email is longer than ${MAX_LENGTH} characters`, `邮箱地址太长（最多 ${MAX_LENGTH} 个字符），请检查是否多粘贴了内容。`);
  }
  const at = address.lastIndexOf("@");
  if (at < 0) return refuse("email has no @", "邮箱地址缺少 @，请填写完整的地址（例如 name@qq.com）。");
  const local = address.slice(0, at).toLowerCase();
  if (local === "") return refuse("email has nothing before the @", "@ 前面缺少用户名，请填写完整的地址（例如 name@qq.com）。");
  if (/[^\x20-\x7e]/.test(local)) {
    return refuse(
      "the part before the @ contains non-ASCII characters: mail to such an address cannot be delivered, use an ASCII address",
      "@ 前面含有中文或其他非英文字符，这样的地址收不到邮件，请换用只含字母、数字和符号的地址。",
    );
  }
  if (local.length > 64) return refuse("the part before the @ is longer than 64 characters", "@ 前面的部分太长（最多 64 个字符），请检查地址。");
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return refuse(
      "the part before the @ contains characters not allowed in an address",
      "@ 前面含有地址中不允许的字符（如空格、引号、连续的点），请检查后重新填写。",
    );
  }
  if (address.slice(at + 1) === "") return refuse("email has no domain after the @", "@ 后面缺少域名，请填写完整的地址（例如 name@qq.com）。");
  const domain = asciiDomain(address.slice(at + 1));
  if (!domain.ok) return domain;
  const email = `${local}@${domain.domain}`;
  if (email.length > MAX_LENGTH) {
    return refuse(`email is longer than ${MAX_LENGTH} characters in its ASCII form (${email})`, `邮箱地址太长（最多 ${MAX_LENGTH} 个字符），请检查地址。`);
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
    context.issues.push({ code: "custom", message: checked.reason, input, params: { readerReason: checked.readerReason } });
    return z.NEVER;
  }),
);

/** Why emailAddress refused an address, in checkEmail's words: English, and Chinese for a person. */
export const refusalOf = (error: z.core.$ZodError): Refusal => {
  const issue = error.issues[0];
  return refuse(issue?.message ?? "not an email address", (issue && readerReasonOf(issue)) ?? "请填写一个有效的邮箱地址。");
};

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
