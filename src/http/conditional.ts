/**
 * Prepared HTTP representations and conditional responses. A representation is built once
 * (bytes, strong ETag from a SHA-256 of the bytes, Last-Modified, headers); serving it is
 * then only a header comparison: 304 for a matching If-None-Match or If-Modified-Since,
 * no body for HEAD, the cached bytes otherwise.
 */
import { toHex } from "../text/hex.ts";

export interface Representation {
  body: Uint8Array;
  etag: string;
  /** Milliseconds, truncated to whole seconds like the Last-Modified header itself. */
  lastModified: number;
  headers: Record<string, string>;
  notModifiedHeaders: Record<string, string>;
}

/** Content changes only with a deploy: readers and caches may reuse a copy briefly, then revalidate. */
export const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400";

const encoder = new TextEncoder();

/**
 * `extraHeaders` go on the full answer only (a page's security headers), not on a 304;
 * `cacheControl` on both (a feed's archive page may be kept far longer than a live page).
 */
export async function prepareRepresentation(
  text: string,
  contentType: string,
  lastModified: Date,
  extraHeaders: Readonly<Record<string, string>> = {},
  cacheControl = CACHE_CONTROL,
): Promise<Representation> {
  const body = encoder.encode(text);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const etag = `"${toHex(digest.slice(0, 16))}"`;
  const seconds = Math.floor(lastModified.getTime() / 1000) * 1000;
  const notModifiedHeaders = {
    "cache-control": cacheControl,
    etag,
    "last-modified": new Date(seconds).toUTCString(),
  };
  return {
    body,
    etag,
    lastModified: seconds,
    headers: {
      ...extraHeaders,
      ...notModifiedHeaders,
      "content-type": contentType,
      "content-length": String(body.byteLength),
    },
    notModifiedHeaders,
  };
}

/** If-None-Match: "*" or a list of entity tags, compared weakly (RFC 9110 13.1.2). */
function etagMatches(header: string, etag: string): boolean {
  // What a feed reader sends back: the one ETag it was given.
  if (header === etag) return true;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * If-Modified-Since is only consulted when If-None-Match is absent (RFC 9110 13.2.2), and a
 * date later than now is not a valid one (RFC 9110 13.1.3): it is ignored, never a 304.
 */
function notModified(request: Request, representation: Representation): boolean {
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null) return etagMatches(ifNoneMatch, representation.etag);
  const ifModifiedSince = request.headers.get("if-modified-since");
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && representation.lastModified <= since && since <= Date.now();
}

export function respondWith(request: Request, representation: Representation): Response {
  if (notModified(request, representation)) {
    return new Response(null, { status: 304, headers: representation.notModifiedHeaders });
  }
  const body = request.method === "HEAD" ? null : representation.body;
  return new Response(body, { headers: representation.headers });
}
