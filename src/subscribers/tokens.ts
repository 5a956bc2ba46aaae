/**
 * Signed subscriber tokens: base64url(JSON payload) + "." + base64url(HMAC-SHA-256).
 * A token is bound to one subscriber and one purpose; confirmation tokens expire.
 * Verification uses crypto.subtle.verify, which compares in constant time.
 */
import * as z from "zod/mini";
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
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const payload = toBase64Url(
    encoder.encode(JSON.stringify({ s: claims.subscriberId, p: claims.purpose, e: claims.expiresAt, d: claims.digestId })),
  );
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/** What signToken writes; a payload of any other shape is malformed, even when correctly signed. */
const tokenPayload = z.object({
  s: z.int().check(z.nonnegative()),
  p: z.enum(["confirm", "unsubscribe", "preferences"] satisfies TokenPurpose[]),
  e: z.optional(z.int()),
  d: z.optional(z.string().check(z.minLength(1))),
});

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
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signatureBytes, encoder.encode(payload));
  if (!valid) return { ok: false, reason: "forged" };

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
    },
  };
}

/** Keyed hash (hex HMAC-SHA-256) for storing a pseudonym instead of an address, e.g. as a rate-limit key. */
export async function keyedHash(secret: string, text: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(text));
  return toHex(mac);
}
