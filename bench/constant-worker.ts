/**
 * Reference Worker of the benchmark: answers each path with the bytes and headers the
 * real Worker sent for it, held as a constant (the RESPONSES var), and honours
 * If-None-Match against the stored ETag. Nothing can serve these bytes for less, so the
 * real Worker's throughput is reported as a fraction of this one's.
 */

export interface ConstantResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The real Worker's answer to If-None-Match with its ETag, when it has one. */
  notModified?: { etag: string; headers: Record<string, string> };
}

interface ConstantEnv {
  RESPONSES: Record<string, ConstantResponse>;
}

const encoder = new TextEncoder();
/** Bodies encoded once per isolate, like the real Worker's prepared representations. */
const encoded = new Map<string, Uint8Array>();

export default {
  fetch(request, env) {
    const path = new URL(request.url).pathname;
    const stored = env.RESPONSES[path];
    if (!stored) return new Response("not a benchmarked path", { status: 404 });
    const notModified = stored.notModified;
    if (notModified && request.headers.get("if-none-match") === notModified.etag) {
      return new Response(null, { status: 304, headers: notModified.headers });
    }
    let body = encoded.get(path);
    if (!body) encoded.set(path, (body = encoder.encode(stored.body)));
    return new Response(body, { status: stored.status, headers: stored.headers });
  },
} satisfies ExportedHandler<ConstantEnv>;
