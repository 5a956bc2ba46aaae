/**
 * A local stand-in for Resend's POST /emails/batch: the shared model of the API
 * (test/helpers/fake-resend-core.ts: ≤ 100 emails per batch, a bearer key, a sliding
 * per-second rate window with 429 + retry-after + ratelimit-*, Idempotency-Key replays)
 * served over HTTP on 127.0.0.1 only. A request is counted in the window when it
 * arrives, as a real provider counts it, and answered `latencyMs` later (a real batch
 * request takes hundreds of milliseconds). It records every delivery so the benchmark
 * can count duplicates and losses, and when each recipient was first accepted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { FakeProvider, recipientsOf } from "../test/helpers/fake-resend-core.ts";

export interface FakeResendOptions {
  requestsPerSecond: number;
  /** The key the Worker sends as `Bearer <apiKey>`. */
  apiKey: string;
  /** Time from a request's arrival to its answer (0: at once). */
  latencyMs?: number;
}

export interface FakeResendStats {
  requests: number;
  accepted: number;
  rateLimited: number;
  replayed: number;
  rejected: number;
  /** Recipient address → number of times an email was delivered to it. */
  deliveries: Map<string, number>;
  /** When each request was accepted, in order: where the time of a send goes. */
  acceptedAt: number[];
  /** Recipient address → when an email to it was first accepted. */
  firstAcceptedAt: Map<string, number>;
  /** Request bodies received, in bytes. */
  bytes: number;
  /** Template calls (create, publish) among the requests. */
  templateRequests: number;
}

export interface FakeResend {
  url: URL;
  stats: FakeResendStats;
  /** Resolves once `count` distinct recipients got mail, or `timeoutMs` passed (false). */
  waitForRecipients(count: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
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

export async function startFakeResend(options: FakeResendOptions): Promise<FakeResend> {
  const stats: FakeResendStats = {
    requests: 0,
    accepted: 0,
    rateLimited: 0,
    replayed: 0,
    rejected: 0,
    deliveries: new Map(),
    acceptedAt: [],
    firstAcceptedAt: new Map(),
    bytes: 0,
    templateRequests: 0,
  };
  const provider = new FakeProvider({ requestsPerSecond: options.requestsPerSecond, apiKey: options.apiKey, now: Date.now });
  const latencyMs = options.latencyMs ?? 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    stats.requests++;
    const body = await readBody(request);
    stats.bytes += Buffer.byteLength(body);
    const answer = provider.answer({
      method: request.method ?? "",
      path: request.url ?? "",
      authorization: request.headers.authorization ?? null,
      idempotencyKey: typeof request.headers["idempotency-key"] === "string" ? request.headers["idempotency-key"] : null,
      permissive: request.headers["x-batch-validation"] === "permissive",
      body,
    });
    if (answer.template) {
      stats.templateRequests++;
      if (answer.outcome === "rate-limited") stats.rateLimited++;
    } else if (answer.outcome === "accepted") {
      const now = Date.now();
      for (const email of answer.delivered) {
        for (const to of recipientsOf(email)) {
          stats.deliveries.set(to, (stats.deliveries.get(to) ?? 0) + 1);
          if (!stats.firstAcceptedAt.has(to)) stats.firstAcceptedAt.set(to, now);
        }
      }
      stats.acceptedAt.push(now);
      stats.accepted++;
    } else if (answer.outcome === "replayed") stats.replayed++;
    else if (answer.outcome === "rate-limited") stats.rateLimited++;
    else stats.rejected++;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    reply(response, answer.status, answer.body, answer.headers);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      reply(response, 500, { statusCode: 500, name: "fake_error", message: String(error) }),
    );
  });
  // Node closes an idle keep-alive connection after 5 s, racing workerd reusing it (a
  // spurious network error on the Worker's side); a real provider keeps them longer.
  server.keepAliveTimeout = 120_000;
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
