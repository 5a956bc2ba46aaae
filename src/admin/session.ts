/**
 * The console's session cookie: `v2.<session id>.<expiry>.<HMAC>`, keyed with the
 * console-sessions key derived from SIGNING_SECRET (src/subscribers/secret-keys.ts), so no reader link
 * can pass for a session, nor a session for a link. The signature turns away a forged
 * cookie without a database read; the session's row (session-store.ts) is what makes it
 * live, so signing out ends it for every copy of the cookie.
 */
import { purposeKey } from "../subscribers/secret-keys.ts";
import { toHex } from "../text/hex.ts";

export const SESSION_COOKIE = "admin_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const VERSION = "v2";

const encoder = new TextEncoder();

async function mac(secret: string, id: string, expiresAt: number): Promise<string> {
  const signed = await crypto.subtle.sign("HMAC", await purposeKey(secret, "console-sessions"), encoder.encode(`${VERSION}:${id}:${expiresAt}`));
  return toHex(signed);
}

export interface NewSession {
  id: string;
  /** Unix seconds. */
  expiresAt: number;
  cookie: string;
}

/** A new session (128 random bits) valid for SESSION_TTL_SECONDS from `now`, and its cookie value. */
export async function signSession(secret: string, now: Date): Promise<NewSession> {
  const id = toHex(crypto.getRandomValues(new Uint8Array(16)).buffer);
  const expiresAt = Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS;
  return { id, expiresAt, cookie: `${VERSION}.${id}.${expiresAt}.${await mac(secret, id, expiresAt)}` };
}

export type SessionCheck = { ok: true; id: string; expiresAt: number } | { ok: false; reason: "malformed" | "forged" | "expired" };

/** The cookie's signature and expiry; whether the session was revoked is the store's to say. */
export async function verifySession(secret: string, value: string | undefined, now: Date): Promise<SessionCheck> {
  const match = /^v2\.([0-9a-f]{32})\.([0-9]{1,12})\.([0-9a-f]{64})$/.exec(value ?? "");
  if (!match?.[1] || !match[2] || !match[3]) return { ok: false, reason: "malformed" };
  const id = match[1];
  const expiresAt = Number(match[2]);
  const expected = await mac(secret, id, expiresAt);
  if (!crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(match[3]))) return { ok: false, reason: "forged" };
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, id, expiresAt };
}
