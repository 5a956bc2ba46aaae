/** SHA-256 digests and HMACs as lower-case hex: WebSub's X-Hub-Signature, body versions and pseudonyms. */
import { toHex } from "./hex.ts";

const encoder = new TextEncoder();

const bytesOf = (data: string | Uint8Array) => (typeof data === "string" ? encoder.encode(data) : data);

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", bytesOf(data)));
}

export async function hmacSha256Hex(secret: string, data: string | Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, bytesOf(data)));
}
