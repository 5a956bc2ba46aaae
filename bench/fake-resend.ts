/**
 * A local stand-in for Resend's POST /emails/batch, strict where the real one is:
 * at most 100 emails per batch, a bearer key, 2 requests per second (sliding window;
 * beyond it 429 with retry-after and ratelimit-* headers), and Idempotency-Key (a
 * repeated key replays the first answer and delivers nothing again). It records every
 * delivery so the benchmark can count duplicates and losses. Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

const MAX_BATCH = 100;
const WINDOW_MS = 1000;

export interface FakeResendOptions {
  requestsPerSecond: number;
}

export interface FakeResendStats {
  requests: number;
  accepted: number;
  rateLimited: number;
  replayed: number;
  rejected: number;
  /** Recipient address → number of times an email was delivered to it. */
  deliveries: Map<string, number>;
  firstDeliveryAt: number | null;
  lastDeliveryAt: number | null;
}

export interface FakeResend {
  url: URL;
  stats: FakeResendStats;
  /** Resolves once `count` distinct recipients got mail, or `timeoutMs` passed (false). */
  waitForRecipients(count: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

interface BatchEmail {
  from?: unknown;
  to?: unknown;
  subject?: unknown;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

const apiError = (statusCode: number, name: string, message: string) => ({ statusCode, name, message });

function recipientsOf(email: BatchEmail): string[] | null {
  if (typeof email.to === "string") return [email.to];
  if (Array.isArray(email.to) && email.to.every((to) => typeof to === "string")) return email.to as string[];
  return null;
}

/** Why a batch would be refused (422), or null when it is valid. */
function batchProblem(emails: unknown): string | null {
  if (!Array.isArray(emails)) return "body must be a JSON array of emails";
  if (emails.length === 0 || emails.length > MAX_BATCH) return `a batch holds 1 to ${MAX_BATCH} emails, got ${emails.length}`;
  for (const email of emails as BatchEmail[]) {
    if (typeof email.from !== "string" || typeof email.subject !== "string" || !recipientsOf(email)) {
      return "each email needs from, to and subject";
    }
  }
  return null;
}

export async function startFakeResend(options: FakeResendOptions): Promise<FakeResend> {
  const stats: FakeResendStats = {
    requests: 0,
    accepted: 0,
    rateLimited: 0,
    replayed: 0,
    rejected: 0,
    deliveries: new Map(),
    firstDeliveryAt: null,
    lastDeliveryAt: null,
  };
  const acceptedAt: number[] = [];
  const idempotent = new Map<string, { body: string; answer: unknown }>();
  let nextId = 1;

  /** Admits the request into the sliding window, or says how long until it would be. */
  function rateLimit(now: number): { headers: Record<string, string>; retryAfterMs: number | null } {
    while (acceptedAt.length > 0 && acceptedAt[0]! <= now - WINDOW_MS) acceptedAt.shift();
    const limit = options.requestsPerSecond;
    const admitted = acceptedAt.length < limit;
    if (admitted) acceptedAt.push(now);
    const resetMs = acceptedAt.length > 0 ? acceptedAt[0]! + WINDOW_MS - now : 0;
    const headers = {
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": String(Math.max(0, limit - acceptedAt.length)),
      "ratelimit-reset": String(Math.ceil(resetMs / 1000)),
    };
    return { headers, retryAfterMs: admitted ? null : resetMs };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    stats.requests++;
    const body = await readBody(request);
    if (request.method !== "POST" || request.url !== "/emails/batch") {
      stats.rejected++;
      return reply(response, 404, apiError(404, "not_found", `the fake serves POST /emails/batch only, not ${request.method} ${request.url}`));
    }
    if (!request.headers.authorization?.startsWith("Bearer ")) {
      stats.rejected++;
      return reply(response, 401, apiError(401, "missing_api_key", "Missing API key in the authorization header"));
    }
    const limit = rateLimit(Date.now());
    if (limit.retryAfterMs !== null) {
      stats.rateLimited++;
      const headers = { ...limit.headers, "retry-after": String(Math.max(1, Math.ceil(limit.retryAfterMs / 1000))) };
      return reply(response, 429, apiError(429, "rate_limit_exceeded", "Too many requests: 2 per second"), headers);
    }
    const key = request.headers["idempotency-key"];
    const previous = typeof key === "string" ? idempotent.get(key) : undefined;
    if (previous) {
      if (previous.body !== body) {
        stats.rejected++;
        return reply(response, 409, apiError(409, "invalid_idempotent_request", "same Idempotency-Key, different payload"), limit.headers);
      }
      stats.replayed++;
      return reply(response, 200, previous.answer, limit.headers);
    }
    let emails: unknown;
    try {
      emails = JSON.parse(body);
    } catch {
      emails = undefined;
    }
    const problem = batchProblem(emails);
    if (problem) {
      stats.rejected++;
      return reply(response, 422, apiError(422, "validation_error", problem), limit.headers);
    }
    const batch = emails as BatchEmail[];
    const now = Date.now();
    for (const email of batch) {
      for (const to of recipientsOf(email)!) stats.deliveries.set(to, (stats.deliveries.get(to) ?? 0) + 1);
    }
    stats.firstDeliveryAt ??= now;
    stats.lastDeliveryAt = now;
    stats.accepted++;
    const answer = { data: batch.map(() => ({ id: `fake-${nextId++}` })) };
    if (typeof key === "string") idempotent.set(key, { body, answer });
    reply(response, 200, answer, limit.headers);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, 500, apiError(500, "fake_error", String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("fake Resend has no address");

  return {
    url: new URL(`http://127.0.0.1:${address.port}`),
    stats,
    async waitForRecipients(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (stats.deliveries.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return stats.deliveries.size >= count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
