/**
 * Keeps requests to the provider within the rate it announces, without knowing the
 * rate in advance: after each response it reads the IETF RateLimit headers Resend
 * sends (`ratelimit-remaining`, `ratelimit-reset` in seconds) and, when the window
 * is used up, holds the next request until the window resets; after a 429 it holds
 * for `retry-after`. One pacer per isolate, so consecutive queue invocations in the
 * same isolate do not burst past the window either. It reads and waits on the clock it
 * is given (the system's in the Worker, a fake one in tests).
 */
import { systemClock, type Clock } from "../clock.ts";

export interface RateLimitHeaders {
  remaining: number | null;
  resetSeconds: number | null;
  retryAfterSeconds: number | null;
}

function numberHeader(headers: Record<string, string>, name: string): number | null {
  const value = headers[name];
  if (value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** retry-after is delay-seconds or an HTTP date. */
function retryAfter(headers: Record<string, string>, now: number): number | null {
  const seconds = numberHeader(headers, "retry-after");
  if (seconds !== null) return seconds;
  const date = headers["retry-after"] ? Date.parse(headers["retry-after"]) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

/** Reads the rate-limit headers of a provider response (names are lower-case, as the SDK reports them). */
export function readRateLimit(headers: Record<string, string> | null, now: number): RateLimitHeaders {
  const h = headers ?? {};
  return {
    remaining: numberHeader(h, "ratelimit-remaining"),
    resetSeconds: numberHeader(h, "ratelimit-reset"),
    retryAfterSeconds: retryAfter(h, now),
  };
}

/**
 * Requests run one at a time per isolate (concurrent queue invocations in one isolate
 * share it), each after the hold the previous answers imposed.
 */
export class Pacer {
  private notBefore = 0;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly clock: Clock) {}

  /** Runs `request` when the provider's window allows it, then learns from its headers. */
  run<T extends { headers: Record<string, string> | null }>(request: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const wait = this.notBefore - this.clock.now().getTime();
      if (wait > 0) await this.clock.sleep(wait);
      const response = await request();
      const now = this.clock.now().getTime();
      this.observe(readRateLimit(response.headers, now), now);
      return response;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** An exhausted window holds the next request until it resets; a 429 holds it for retry-after. */
  private observe(limit: RateLimitHeaders, now: number): void {
    const holdSeconds =
      limit.retryAfterSeconds ?? (limit.remaining === 0 && limit.resetSeconds !== null ? limit.resetSeconds : null);
    if (holdSeconds !== null) this.notBefore = Math.max(this.notBefore, now + holdSeconds * 1000);
  }
}

/** The isolate's pacer for the email provider. */
export const providerPacer = new Pacer(systemClock);
