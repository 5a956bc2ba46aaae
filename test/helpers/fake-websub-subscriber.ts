/**
 * A WebSub subscriber in the test isolate. Installed with `vi.stubGlobal("fetch",
 * subscriber.fetch)`: the hub's queue consumer runs in the test isolate, so its
 * verification GETs and content POSTs to `subscriber.origin` land here. Tests choose how
 * it answers a verification (echo the challenge, echo something else, refuse) and script
 * failed deliveries; any other URL is a test bug and fails loudly.
 */
export interface Verification {
  callback: string;
  mode: string | null;
  topic: string | null;
  challenge: string | null;
  leaseSeconds: string | null;
}

export interface Delivery {
  callback: string;
  body: string;
  headers: Record<string, string>;
}

export type VerificationAnswer = "echo" | "wrong-challenge" | "refuse";

export class FakeWebSubSubscriber {
  readonly origin = "https://subscriber.example.net";
  readonly verifications: Verification[] = [];
  readonly deliveries: Delivery[] = [];
  verificationAnswer: VerificationAnswer = "echo";
  /** Status codes for the next deliveries, in order (then 204). */
  readonly deliveryStatuses: number[] = [];

  callback(name: string): string {
    return `${this.origin}/callback/${name}`;
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== this.origin) throw new Error(`unexpected fetch to ${request.url}`);
    const callback = `${url.origin}${url.pathname}`;
    if (request.method === "GET") {
      const challenge = url.searchParams.get("hub.challenge");
      this.verifications.push({
        callback,
        mode: url.searchParams.get("hub.mode"),
        topic: url.searchParams.get("hub.topic"),
        challenge,
        leaseSeconds: url.searchParams.get("hub.lease_seconds"),
      });
      if (this.verificationAnswer === "refuse") return new Response("no such subscription", { status: 404 });
      return new Response(this.verificationAnswer === "echo" ? challenge : "not-the-challenge", { status: 200 });
    }
    this.deliveries.push({ callback, body: await request.text(), headers: Object.fromEntries(request.headers) });
    return new Response(null, { status: this.deliveryStatuses.shift() ?? 204 });
  };
}
