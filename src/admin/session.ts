/**
 * The console's session: a cookie holding its expiry and an HMAC over it, keyed with
 * SIGNING_SECRET under a purpose of its own (so no subscriber token can pass for a
 * session, nor a session for a token). Stateless: signing out clears the cookie, and a
 * copy of it stays valid until it expires (12 hours).
 */
import { keyedHash } from "../subscribers/tokens.ts";

export const SESSION_COOKIE = "admin_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const VERSION = "v1";

const encoder = new TextEncoder();

const mac = (secret: string, expiresAt: number) => keyedHash(secret, `admin-session:${VERSION}:${expiresAt}`);

/** A session cookie value valid for SESSION_TTL_SECONDS from `now`. */
export async function signSession(secret: string, now: Date): Promise<string> {
  const expiresAt = Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS;
  return `${VERSION}.${expiresAt}.${await mac(secret, expiresAt)}`;
}

export type SessionCheck = { ok: true; expiresAt: number } | { ok: false; reason: "malformed" | "forged" | "expired" };

export async function verifySession(secret: string, value: string | undefined, now: Date): Promise<SessionCheck> {
  const match = /^v1\.([0-9]{1,12})\.([0-9a-f]{64})$/.exec(value ?? "");
  if (!match?.[1] || !match[2]) return { ok: false, reason: "malformed" };
  const expiresAt = Number(match[1]);
  const expected = await mac(secret, expiresAt);
  if (!crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(match[2]))) return { ok: false, reason: "forged" };
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt };
}
