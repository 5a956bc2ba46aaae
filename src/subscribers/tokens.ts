/**
 * Signed subscriber tokens: base64url(JSON payload) + "." + base64url(HMAC-SHA-256), keyed
 * with the reader-links key derived from SIGNING_SECRET (src/subscribers/secret-keys.ts). A token is
 * bound to one subscriber and one purpose; a confirmation token also to the request it
 * answers (the subscriber's confirmation generation) and expires. Verification uses
 * crypto.subtle.verify, which compares in constant time.
 */
import * as z from "zod/mini";
import { legacyLinkKey, purposeKey } from "./secret-keys.ts";
import { fromBase64Url, toBase64Url } from "../text/base64url.ts";
import { toHex } from "../text/hex.ts";

export type TokenPurpose = "confirm" | "unsubscribe" | "preferences";

export interface TokenClaims {
  subscriberId: number;
  purpose: TokenPurpose;
  /** Unix seconds; absent for tokens that live as long as the subscription (unsubscribe links). */
  expiresAt?: number;
  /** The one digest an unsubscribe link leaves; absent (older links): every digest. */
  digestId?: string;
  /**
   * Confirmation links: the subscriber's confirmation generation when the link was issued.
   * Each new subscribe request moves it on, so an older link is superseded. Absent (links
   * issued before generations existed): generation 0.
   */
  generation?: number;
}

const encoder = new TextEncoder();

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const payload = toBase64Url(
    encoder.encode(
      JSON.stringify({ s: claims.subscriberId, p: claims.purpose, e: claims.expiresAt, d: claims.digestId, g: claims.generation }),
    ),
  );
  const signature = await crypto.subtle.sign("HMAC", await purposeKey(secret, "reader-links"), encoder.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/**
 * What signToken writes; a payload of any other shape is malformed, even when correctly
 * signed: an extra field is refused, not ignored (strict).
 */
const tokenPayload = z.strictObject({
  s: z.int().check(z.nonnegative()),
  p: z.enum(["confirm", "unsubscribe", "preferences"] satisfies TokenPurpose[]),
  e: z.optional(z.int()),
  d: z.optional(z.string().check(z.minLength(1))),
  g: z.optional(z.int().check(z.nonnegative())),
});

/** Signed with the reader-links key, or (a link sent before keys were derived) with the secret itself. */
async function signedByUs(secret: string, signature: Uint8Array, payload: string): Promise<boolean> {
  const data = encoder.encode(payload);
  if (await crypto.subtle.verify("HMAC", await purposeKey(secret, "reader-links"), signature, data)) return true;
  return crypto.subtle.verify("HMAC", await legacyLinkKey(secret), signature, data);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodePayload(payload: string): z.infer<typeof tokenPayload> | null {
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  try {
    const parsed = tokenPayload.safeParse(JSON.parse(strictUtf8.decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "forged" | "wrong-purpose" | "expired" };

/** Verifies signature, purpose and expiry. `now` is injectable for tests. */
export async function verifyToken(
  secret: string,
  token: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): Promise<TokenCheck> {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  const signatureBytes = fromBase64Url(signature);
  if (!signatureBytes) return { ok: false, reason: "malformed" };
  if (!(await signedByUs(secret, signatureBytes, payload))) return { ok: false, reason: "forged" };

  const raw = decodePayload(payload);
  if (!raw) return { ok: false, reason: "malformed" };
  if (raw.p !== purpose) return { ok: false, reason: "wrong-purpose" };
  if (raw.e !== undefined && raw.e * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return {
    ok: true,
    claims: {
      subscriberId: raw.s,
      purpose: raw.p,
      ...(raw.e !== undefined ? { expiresAt: raw.e } : {}),
      ...(raw.d !== undefined ? { digestId: raw.d } : {}),
      ...(raw.g !== undefined ? { generation: raw.g } : {}),
    },
  };
}

/** Keyed hash (hex HMAC-SHA-256) for storing a pseudonym instead of an address, e.g. as a rate-limit key. */
export async function keyedHash(secret: string, text: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await purposeKey(secret, "rate-limit-pseudonyms"), encoder.encode(text));
  return toHex(mac);
}
