/**
 * Keys derived from SIGNING_SECRET, one per purpose (HKDF-SHA-256, RFC 5869): a key used
 * for one thing never signs or checks another. Console sessions and reader links use
 * different keys, so nothing done about sessions can touch a link already in an inbox;
 * rate-limit pseudonyms use a third, so a stored pseudonym is no signature of anything.
 */

export type KeyPurpose = "reader-links" | "console-sessions" | "rate-limit-pseudonyms";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

async function derive(secret: string, purpose: KeyPurpose): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(`newsletter-feeds/${purpose}/v1`) },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

/** The HMAC-SHA-256 key for `purpose`, derived once per secret per isolate. */
export function purposeKey(secret: string, purpose: KeyPurpose): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = derive(secret, purpose);
    keys.set(id, key);
  }
  return key;
}

/**
 * The secret itself as an HMAC key: how reader links were signed before keys were derived
 * per purpose. Only ever used to check such a link (an unsubscribe link in a sent email
 * must keep working), never to sign anything new.
 */
export function legacyLinkKey(secret: string): Promise<CryptoKey> {
  const id = `legacy\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    keys.set(id, key);
  }
  return key;
}
