/**
 * An in-isolate stand-in for Resend's POST /emails/batch, driven by the tests.
 * Installed with `vi.stubGlobal("fetch", fake.fetch)`: the Worker code runs in the
 * test isolate, so the Resend SDK's requests to `fake.baseUrl` land here and are
 * answered by the shared model of the API (fake-resend-core.ts) on the test's clock;
 * tests script faults for the next requests.
 */
import { FakeProvider, type Fault, type ProviderEmail } from "./fake-resend-core.ts";

export type { Fault } from "./fake-resend-core.ts";

export interface ReceivedEmail extends ProviderEmail {
  to: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
}

export interface RequestLog {
  at: number;
  /** Size of the request body. */
  bytes: number;
  idempotencyKey: string | null;
  emails: number;
  status: number | "network-error";
  replayed: boolean;
}

let instances = 0;

export class FakeResend {
  /** Each fake is its own account (what a sender remembers of one, e.g. published templates, does not carry over). */
  readonly baseUrl = `https://resend-${++instances}.fake.test`;
  /** Every email the provider actually sent, in order. */
  readonly sent: ReceivedEmail[] = [];
  /** Batch requests (POST /emails/batch), in order; template calls are in `templateRequests`. */
  readonly requests: RequestLog[] = [];
  /** Template calls (POST /templates, POST /templates/:id/publish): their paths and statuses. */
  readonly templateRequests: { path: string; status: number }[] = [];
  /** Called after a batch was accepted and sent, before the answer goes back. */
  onAccepted: (() => void | Promise<void>) | null = null;
  private readonly faults: Fault[] = [];
  private readonly provider: FakeProvider;

  /**
   * @param requestsPerSecond the provider's rate limit, announced in ratelimit-* headers and enforced with 429.
   * @param now the provider's clock (the test's fake clock, so pacing never waits on real time).
   */
  constructor(requestsPerSecond = 1000, private readonly now: () => number = Date.now) {
    this.provider = new FakeProvider({ requestsPerSecond, apiKey: "re_test_key", now });
  }

  /** The provider's account: its templates (refuse them, delete them). */
  get account(): FakeProvider {
    return this.provider;
  }

  /** Addresses the provider refuses (422 for that address; in permissive mode only that email fails). */
  get refusedAddresses(): Map<string, string> {
    return this.provider.refusedAddresses;
  }

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
    const path = new URL(request.url).pathname;
    if (path.startsWith("/templates")) return this.templateCall(request, path);
    const idempotencyKey = request.headers.get("idempotency-key");
    const body = await request.text();
    const log: RequestLog = { at: this.now(), bytes: new TextEncoder().encode(body).length, idempotencyKey, emails: 0, status: 0, replayed: false };
    this.requests.push(log);
    const fault = this.faults.shift();
    if (fault?.kind === "hang") {
      // Answers nothing until the caller's timeout aborts the request, as a hung connection would.
      log.status = "network-error";
      const signal = init?.signal ?? request.signal;
      await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }
    const answer = this.provider.answer(
      {
        method: request.method,
        path,
        authorization: request.headers.get("authorization"),
        idempotencyKey,
        permissive: request.headers.get("x-batch-validation") === "permissive",
        body,
      },
      fault,
    );
    log.emails = answer.emails;
    log.replayed = answer.outcome === "replayed" || answer.outcome === "conflict";
    if (answer.outcome === "accepted") {
      for (const email of answer.delivered.map((delivered) => this.provider.asReceived(delivered))) {
        this.sent.push({ ...email, to: String(email.to), html: email.html ?? "", text: email.text ?? "", headers: email.headers ?? {}, tags: email.tags ?? [] });
      }
      await this.onAccepted?.();
      if (fault?.kind === "lost-response") {
        log.status = "network-error";
        throw new TypeError("network connection lost");
      }
    }
    log.status = answer.status;
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  };

  /** Template calls are answered by the model too (they count in the rate window) but take no scripted faults. */
  private async templateCall(request: Request, path: string): Promise<Response> {
    const answer = this.provider.answer({
      method: request.method,
      path,
      authorization: request.headers.get("authorization"),
      idempotencyKey: null,
      permissive: false,
      body: await request.text(),
    });
    this.templateRequests.push({ path, status: answer.status });
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json", ...answer.headers } });
  }
}
