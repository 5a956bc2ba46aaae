/**
 * An in-isolate stand-in for Resend's POST /emails/batch, driven by the tests.
 * Installed with `vi.stubGlobal("fetch", fake.fetch)`: the Worker code runs in the
 * test isolate, so the Resend SDK's requests to `fake.baseUrl` land here. Like the
 * real API it checks the bearer key, replays an Idempotency-Key's first answer (and
 * refuses the key with a different payload), honours `x-batch-validation: permissive`,
 * and answers with ratelimit-* headers; tests script faults for the next requests.
 */

export interface ReceivedEmail {
  from: string;
  to: string;
  /** Resend's API field for Reply-To; absent when none was given. */
  reply_to?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
}

export type Fault =
  /** 429 with this retry-after (seconds). */
  | { kind: "rate-limited"; retryAfterSeconds: number }
  /** 500: nothing sent. */
  | { kind: "server-error" }
  /** The batch is accepted and sent, then the connection drops before the answer arrives. */
  | { kind: "lost-response" }
  /** 429 daily_quota_exceeded / monthly_quota_exceeded. */
  | { kind: "quota"; name: "daily_quota_exceeded" | "monthly_quota_exceeded" };

export interface RequestLog {
  at: number;
  idempotencyKey: string | null;
  emails: number;
  status: number | "network-error";
  replayed: boolean;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const apiError = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) =>
  json(statusCode, { statusCode, name, message }, headers);

export class FakeResend {
  readonly baseUrl = "https://resend.fake.test";
  /** Every email the provider actually sent, in order. */
  readonly sent: ReceivedEmail[] = [];
  readonly requests: RequestLog[] = [];
  /** Addresses the provider refuses (422 for that address; in permissive mode only that email fails). */
  readonly refusedAddresses = new Map<string, string>();
  /** Called after a batch was accepted and sent, before the answer goes back. */
  onAccepted: (() => void | Promise<void>) | null = null;
  private readonly faults: Fault[] = [];
  private readonly idempotent = new Map<string, { body: string; answer: unknown }>();
  private readonly windowStarts: number[] = [];
  private nextId = 1;

  /** @param requestsPerSecond the provider's rate limit, announced in ratelimit-* headers and enforced with 429. */
  constructor(private readonly requestsPerSecond = 1000) {}

  /** Scripts the answer to the next request(s), in order. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  sentTo(address: string): ReceivedEmail[] {
    return this.sent.filter((email) => email.to === address);
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (!request.url.startsWith(this.baseUrl)) throw new TypeError(`no network in tests: ${request.url}`);
    const body = await request.text();
    const key = request.headers.get("idempotency-key");
    const log: RequestLog = { at: Date.now(), idempotencyKey: key, emails: 0, status: 0, replayed: false };
    this.requests.push(log);
    const response = await this.answer(request, body, key, log);
    if (response) log.status = response.status;
    else log.status = "network-error";
    if (!response) throw new TypeError("network connection lost");
    return response;
  };

  private rateLimitHeaders(now: number): { headers: Record<string, string>; admitted: boolean; resetMs: number } {
    while (this.windowStarts.length > 0 && (this.windowStarts[0] ?? 0) <= now - 1000) this.windowStarts.shift();
    const admitted = this.windowStarts.length < this.requestsPerSecond;
    if (admitted) this.windowStarts.push(now);
    const resetMs = this.windowStarts.length > 0 ? (this.windowStarts[0] ?? now) + 1000 - now : 0;
    return {
      admitted,
      resetMs,
      headers: {
        "ratelimit-limit": String(this.requestsPerSecond),
        "ratelimit-remaining": String(Math.max(0, this.requestsPerSecond - this.windowStarts.length)),
        "ratelimit-reset": String(Math.ceil(resetMs / 1000)),
      },
    };
  }

  /** null: the connection dropped (after sending, for a lost response). */
  private async answer(request: Request, body: string, key: string | null, log: RequestLog): Promise<Response | null> {
    if (request.method !== "POST" || !request.url.endsWith("/emails/batch")) {
      return apiError(404, "not_found", `the fake serves POST /emails/batch only, not ${request.method} ${request.url}`);
    }
    if (request.headers.get("authorization") !== "Bearer re_test_key") {
      return apiError(401, "invalid_api_key", "API key is invalid");
    }
    const fault = this.faults.shift();
    if (fault?.kind === "server-error") return apiError(500, "internal_server_error", "Something went wrong");
    if (fault?.kind === "quota") return apiError(429, fault.name, "You have reached your sending quota");
    const limit = this.rateLimitHeaders(log.at);
    if (fault?.kind === "rate-limited" || !limit.admitted) {
      const retryAfter = fault?.kind === "rate-limited" ? fault.retryAfterSeconds : Math.max(1, Math.ceil(limit.resetMs / 1000));
      return apiError(429, "rate_limit_exceeded", "Too many requests", { ...limit.headers, "retry-after": String(retryAfter) });
    }

    const previous = key ? this.idempotent.get(key) : undefined;
    if (previous) {
      log.replayed = true;
      if (previous.body !== body) {
        return apiError(409, "invalid_idempotent_request", "Same idempotency key used with a different payload", limit.headers);
      }
      return json(200, previous.answer, limit.headers);
    }

    const emails = JSON.parse(body) as ReceivedEmail[];
    log.emails = emails.length;
    if (emails.length === 0 || emails.length > 100) {
      return apiError(422, "validation_error", `a batch holds 1 to 100 emails, got ${emails.length}`, limit.headers);
    }
    const permissive = request.headers.get("x-batch-validation") === "permissive";
    const errors = emails.flatMap((email, index) => {
      const reason = this.refusedAddresses.get(email.to);
      return reason ? [{ index, message: reason }] : [];
    });
    if (errors.length > 0 && !permissive) return apiError(422, "validation_error", errors[0]?.message ?? "", limit.headers);

    const data: { id: string }[] = [];
    emails.forEach((email, index) => {
      if (errors.some((e) => e.index === index)) return;
      this.sent.push({ ...email, headers: email.headers ?? {}, tags: email.tags ?? [] });
      data.push({ id: `email-${this.nextId++}` });
    });
    const answer = permissive ? { data, errors } : { data };
    if (key) this.idempotent.set(key, { body, answer });
    await this.onAccepted?.();
    if (fault?.kind === "lost-response") return null;
    return json(200, answer, limit.headers);
  }
}
