/**
 * Mailing-list headers of a digest email: List-Id (RFC 2919) names the digest, so a
 * reader's mail client can filter and a provider can tell one digest from another;
 * List-Unsubscribe (RFC 2369) with List-Unsubscribe-Post (RFC 8058) leaves that digest.
 */

const encoder = new TextEncoder();
/** RFC 2047: an encoded word is at most 75 characters; "=?UTF-8?B?" + "?=" leaves 63, i.e. 45 bytes of text. */
const MAX_WORD_BYTES = 45;

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A display phrase for a header: plain ASCII as an atom or quoted string, anything else as
 * RFC 2047 "B" encoded words, never splitting a character between two words.
 */
export function headerPhrase(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) {
    return /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(text) ? text : `"${text.replace(/["\\]/g, "\\$&")}"`;
  }
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (encoder.encode(chunk + char).length > MAX_WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64(encoder.encode(word))}?=`).join(" ");
}

/** `"<title>" <digest-id.site-host>`: one list per digest, in the namespace of the site's host. */
export function listIdHeader(digest: { id: string; title: string }, siteUrl: string): string {
  return `${headerPhrase(digest.title)} <${digest.id}.${new URL(siteUrl).hostname}>`;
}
