/**
 * Keeps requests to the provider within the rate it announces, without knowing the
 * rate in advance: after each response it reads the IETF RateLimit headers Resend
 * sends (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in seconds) and,
 * when the window is used up, holds the next request until a slot is free again;
 * after a 429 it holds for `retry-after`. One pacer per isolate, so consecutive queue
 * invocations in the same isolate do not burst past the window either. It reads and
 * waits on the clock it is given (the system's in the Worker, a fake one in tests).
 *
 * `ratelimit-reset` comes in whole seconds, rounded up: with Resend's one-second
 * window it says 1 whatever part of the second is left. Holding a whole reset from the
 * answer that used the window up also waits out the time since the window's first
 * request (the Worker's work on the next batch, the upload, the answer): about a tenth
 * of the rate at 2 requests/s and 100 recipients per batch. So the pacer also keeps
 * its own account. An answer with remaining = limit − 1 was to a request alone in the
 * window, so its reset bounds how long one request holds a slot (sliding window: the
 * window's length; fixed window: the time to its end). A window full of our own last
 * `limit` requests has a free slot, at the latest, that long after the oldest of them
 * was answered. The announced reset still caps every hold; a full window that cannot
 * be all ours is left to the announced reset, and after a 429 (another sender in the
 * window, or a provider counting otherwise) the pacer trusts the provider's holds alone.
 */
import { systemClock, type Clock } from "../clock.ts";

export interface RateLimitHeaders {
  limit: number | null;
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
    limit: numberHeader(h, "ratelimit-limit"),
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
  /** At most how long one request holds a slot in the window, once an answer showed it; null when unknown. */
  private slotMs: number | null = null;
  /** After a 429 the pacer trusts only the provider's own hold (`ratelimit-reset`, `retry-after`). */
  private ownAccount = true;
  /** When each of the last `limit` admitted requests was answered, oldest first. */
  private answeredAt: number[] = [];

  constructor(readonly clock: Clock) {}

  /** Runs `request` when the provider's window allows it, then learns from its headers. */
  run<T extends { headers: Record<string, string> | null }>(request: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const wait = this.notBefore - this.clock.now().getTime();
      if (wait > 0) await this.clock.sleep(wait);
      const sentAt = this.clock.now().getTime();
      const response = await request();
      const now = this.clock.now().getTime();
      this.observe(readRateLimit(response.headers, now), sentAt, now);
      return response;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** A 429 holds the next request for retry-after; a used-up window until a slot is free. */
  private observe(limit: RateLimitHeaders, sentAt: number, now: number): void {
    if (limit.retryAfterSeconds !== null) {
      this.ownAccount = false;
      this.holdUntil(now + limit.retryAfterSeconds * 1000);
      return;
    }
    const ownBound = this.account(limit, now);
    if (limit.remaining !== 0 || limit.resetSeconds === null) return;
    const announced = now + limit.resetSeconds * 1000;
    // When the oldest of our last requests had surely left before this one was even sent,
    // the full window holds someone else's request: only the provider knows when it frees.
    this.holdUntil(ownBound !== null && ownBound > sentAt ? Math.min(announced, ownBound) : announced);
  }

  /**
   * Records an admitted request; returns when the oldest of our last `limit` requests
   * leaves the window at the latest (null when that cannot be said).
   */
  private account(limit: RateLimitHeaders, now: number): number | null {
    if (!this.ownAccount || limit.limit === null || limit.limit < 1 || limit.remaining === null) return null;
    if (limit.remaining === limit.limit - 1 && limit.resetSeconds !== null) this.slotMs = limit.resetSeconds * 1000;
    this.answeredAt = [...this.answeredAt, now].slice(-limit.limit);
    const oldest = this.answeredAt[0];
    return this.slotMs !== null && oldest !== undefined && this.answeredAt.length === limit.limit ? oldest + this.slotMs : null;
  }

  private holdUntil(at: number): void {
    this.notBefore = Math.max(this.notBefore, at);
  }
}

/** The isolate's pacer for the email provider. */
export const providerPacer = new Pacer(systemClock);
