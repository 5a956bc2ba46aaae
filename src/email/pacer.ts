/**
 * The provider's window: when each request to the email provider may start. Every email
 * (digest batches, confirmations, goodbyes, test copies) asks it for a grant first, so one
 * account of the window covers them all: in one isolate this class, across consumers and
 * isolates the ProviderWindow Durable Object holding one (provider-window.ts).
 *
 * Nothing is configured: the rate is read from the IETF RateLimit headers Resend sends
 * (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in seconds) and `retry-after`.
 * Until the first answer names the limit, one request a window goes out.
 *
 * The account is of starts: the provider counts a request when it arrives, shortly after
 * it started, and a sliding window lets `limit` requests in per window. So a grant is due
 * when fewer than `limit` of our starts lie within the last window plus a margin (the
 * margin covers requests that reach the provider later than the ones after them; it
 * doubles after each 429, up to half a window, and narrows again after a quiet half
 * minute). A start is counted from when the request reached the provider: once answered,
 * the answer's time less the shortest latency seen; until then, its grant plus the usual
 * recent delay (a busy sender serialises and writes requests late). Requests do not wait for each other's
 * answers: with latency λ, about limit × λ / window are in flight, which is what keeps the
 * provider's full rate at any latency (answer-based pacing reaches 1 / (1 + λ) of it).
 *
 * The provider's own holds always win: after a 429 nothing starts before its
 * `retry-after`; an answer saying the window is full while fewer than `limit` of our
 * starts are in it (another sender uses the account) holds the whole announced reset.
 *
 * Transactional mail goes first: waiting confirmations are granted before any waiting
 * digest batch, so a confirmation waits at most about one slot during a send at full rate.
 */
import type { Clock } from "../clock.ts";
import { InFlightTarget } from "./in-flight-target.ts";

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

/** Which mail a request carries: transactional mail is granted before digest batches. */
export type Lane = "transactional" | "digest";

export interface WindowGrant {
  /** Names the grant when its answer is reported. */
  grant: number;
  /** How many requests the sender should keep in flight to use the whole window (see Pacer.inFlightTarget). */
  inFlightTarget: number;
}

/** What a sender needs from the window; a Pacer in one isolate, or the shared Durable Object. */
export interface SendWindow {
  /** Waits and sleeps on this clock (retries, backoff) and dates what it records. */
  readonly clock: Clock;
  /** Resolves when a request of this lane may start. */
  acquire(lane: Lane): Promise<WindowGrant>;
  /**
   * The answer to a granted request (null headers: no answer, e.g. a timeout), with its
   * latency as the sender measured it; resolves to the new in-flight target.
   */
  settle(grant: number, headers: Record<string, string> | null, latencyMs: number): Promise<number>;
  /** The last known in-flight target: how many requests a sender should keep going at once. */
  inFlightTarget(): number;
  /** Resolves the next time the in-flight target rises (a limit learned, a longer latency). */
  targetRaised(): Promise<void>;
}

/** Resend's window is one second; an answer alone in a fresh window says so (ratelimit-reset). */
const DEFAULT_WINDOW_MS = 1000;
/** Starting margin per slot: the spread of arrival delays on a local or nearby network. */
const INITIAL_MARGIN_MS = 25;
/** How long a start is remembered: longer than any answer takes (the request timeout is 30 s by default). */
const START_MEMORY_MS = 60_000;
/** A margin widened by 429s narrows again after this long without one. */
const MARGIN_RELAX_MS = 30_000;
/** How long an unsettled grant is remembered. */
const GRANT_MEMORY_MS = 10 * 60_000;
/** Latencies kept to size the in-flight target. */
const LATENCY_SAMPLES = 32;

/** The 90th percentile of recent samples (0 with none). */
function percentile90(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.9)] ?? 0;
}

export class Pacer implements SendWindow {
  private limit: number | null = null;
  private windowMs = DEFAULT_WINDOW_MS;
  private marginMs = INITIAL_MARGIN_MS;
  /** When the margin last widened (a 429) or narrowed: it narrows again only after a quiet MARGIN_RELAX_MS. */
  private marginChangedAt = 0;
  private holdUntil = 0;
  /**
   * When each of our recent requests reached the provider, in order, as far as we know:
   * until answered, its grant plus the usual delay between a grant and the provider (a
   * busy sender serialises and writes requests late); once answered, the answer's time
   * less the shortest latency seen.
   */
  private starts: number[] = [];
  /** Unanswered grants: when granted, and where in `starts` they are counted. */
  private readonly granted = new Map<number, { at: number; counted: number }>();
  private nextGrant = 1;
  private latencies: number[] = [];
  /** Recent delays between a grant and its arrival at the provider (as far as the answers tell). */
  private arrivalDelays: number[] = [];
  private readonly waiting: Record<Lane, ((grant: WindowGrant) => void)[]> = { transactional: [], digest: [] };
  private pumping = false;
  private wake: (() => void) | null = null;
  private readonly target = new InFlightTarget();

  constructor(readonly clock: Clock) {}

  acquire(lane: Lane): Promise<WindowGrant> {
    const granted = new Promise<WindowGrant>((resolve) => this.waiting[lane].push(resolve));
    void this.pump();
    return granted;
  }

  async settle(grant: number, headers: Record<string, string> | null, latencyMs: number): Promise<number> {
    const now = this.clock.now().getTime();
    const started = this.granted.get(grant);
    this.granted.delete(grant);
    // Grants whose sender died unanswered are forgotten after a while (they still counted as starts).
    for (const [id, { at }] of this.granted) if (at < now - GRANT_MEMORY_MS) this.granted.delete(id);
    if (headers !== null) this.latencies = [...this.latencies, latencyMs].slice(-LATENCY_SAMPLES);
    const arrivedAt = started !== undefined && headers !== null ? this.placeArrival(started, now - Math.min(...this.latencies)) : null;
    const answer = readRateLimit(headers, now);
    if (answer.limit !== null && answer.limit >= 1) this.limit = answer.limit;
    const limit = this.limit ?? 1;
    if (answer.remaining === limit - 1 && answer.resetSeconds !== null && answer.resetSeconds > 0) {
      this.windowMs = answer.resetSeconds * 1000;
    }
    if (answer.retryAfterSeconds !== null) {
      // A 429: the provider counted more than our account did. Wait as told, keep a wider margin.
      this.holdUntil = Math.max(this.holdUntil, now + answer.retryAfterSeconds * 1000);
      this.marginMs = Math.min(this.marginMs * 2, this.windowMs / 2);
      this.marginChangedAt = now;
    } else {
      if (now - this.marginChangedAt > MARGIN_RELAX_MS && this.marginMs > INITIAL_MARGIN_MS) {
        // Long without a 429: the margin narrows again, halving each quiet period.
        this.marginMs = Math.max(INITIAL_MARGIN_MS, this.marginMs / 2);
        this.marginChangedAt = now;
      }
      if (answer.remaining === 0 && answer.resetSeconds !== null && arrivedAt !== null) {
        // Full at this request's arrival (itself included), though fewer than `limit` of our starts were in its window: someone else's.
        // Arrivals are only known to within the spread of latencies and delays, so our starts are
        // counted generously: a hold needs even the widest account of ours to leave room.
        const spread = this.arrivalUncertainty();
        const ours = this.starts.filter((at) => at > arrivedAt - this.windowMs - this.marginMs - spread && at <= arrivedAt + spread).length;
        if (ours < limit) this.holdUntil = Math.max(this.holdUntil, now + answer.resetSeconds * 1000);
      }
    }
    this.wake?.();
    const target = this.inFlightTarget();
    this.target.set(target);
    return target;
  }

  targetRaised(): Promise<void> {
    return this.target.raised();
  }

  /**
   * Requests to keep going at once: the limit a window, over the time a request holds a
   * slot (its latency, 90th percentile of the last answers, plus the window it is counted
   * in), plus one window's worth being prepared (read from D1, rendered) while the others
   * wait, so a sender never leaves a slot unused for want of a request ready to go.
   */
  inFlightTarget(): number {
    if (this.limit === null) return 1;
    const latency = percentile90(this.latencies);
    return Math.max(1, Math.ceil((this.limit * (latency + 2 * this.windowMs)) / this.windowMs));
  }

  /**
   * A request held up between its grant and the provider (its body serialised and sent on a
   * busy machine) arrives later than granted: counted from its grant, its slot would free
   * too early. Its answer, less the shortest latency seen, says when it arrived (never
   * before its grant); that delay is also what the next unanswered grants are counted with.
   * Returns the arrival as the account now holds it.
   */
  private placeArrival({ at, counted }: { at: number; counted: number }, answeredArrival: number): number {
    const arrivedAt = Math.max(at, answeredArrival);
    this.arrivalDelays = [...this.arrivalDelays, arrivedAt - at].slice(-LATENCY_SAMPLES);
    const index = this.starts.indexOf(counted);
    if (index === -1) return arrivedAt;
    this.starts.splice(index, 1);
    this.countStart(arrivedAt);
    return arrivedAt;
  }

  /** Adds a start to the account, in order. */
  private countStart(at: number): void {
    const after = this.starts.findIndex((start) => start > at);
    this.starts.splice(after === -1 ? this.starts.length : after, 0, at);
  }

  /**
   * How far a counted arrival may be from the real one: an answered request is placed at its
   * answer less the shortest latency, so a slower answer places it late by the difference;
   * an unanswered one at its grant plus the usual delay, which real delays spread around.
   * On a steady network both are near zero; over the internet, or on a busy machine, a few
   * hundred milliseconds.
   */
  private arrivalUncertainty(): number {
    const spread = (values: readonly number[]) => (values.length === 0 ? 0 : percentile90(values) - Math.min(...values));
    return spread(this.latencies) + spread(this.arrivalDelays);
  }

  /** The delay to count an unanswered grant with: the 90th percentile of the recent ones. */
  private expectedArrivalDelay(): number {
    return percentile90(this.arrivalDelays);
  }

  /** Whether a counted start is still an unanswered grant's estimate. */
  private isUnanswered(start: number): boolean {
    for (const { counted } of this.granted.values()) if (counted === start) return true;
    return false;
  }

  /**
   * How much later than counted an unanswered request may have reached the provider: the
   * longest recent arrival delay beyond the usual one. When the latency is about the window,
   * the answer that would place such a request comes just as its slot frees; reusing the
   * slot before it comes risks a 429 (a second's hold), waiting for it costs a few ms.
   */
  private unansweredSlack(): number {
    return this.arrivalDelays.length === 0 ? 0 : Math.max(...this.arrivalDelays) - this.expectedArrivalDelay();
  }

  /** How long until the next request may start. */
  private waitMs(now: number): number {
    const limit = this.limit ?? 1;
    const span = this.windowMs + this.marginMs;
    // Older starts are kept a while: an answer arriving later is judged against its own window.
    while ((this.starts[0] ?? now) <= now - START_MEMORY_MS) this.starts.shift();
    const recent = this.starts.filter((at) => at > now - span);
    const inWindow = recent.length;
    const oldest = recent[inWindow - limit] ?? now;
    const slotFree = inWindow < limit ? now : oldest + span + (this.isUnanswered(oldest) ? this.unansweredSlack() : 0);
    return Math.max(this.holdUntil, slotFree) - now;
  }

  /** Grants waiting requests, transactional first, each as soon as the window has room. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.wake?.();
      return;
    }
    this.pumping = true;
    try {
      for (;;) {
        const lane: Lane | null = this.waiting.transactional.length > 0 ? "transactional" : this.waiting.digest.length > 0 ? "digest" : null;
        if (lane === null) return;
        const now = this.clock.now().getTime();
        const wait = this.waitMs(now);
        if (wait > 0) {
          // An answer (a limit learned, a hold) or a transactional request may change what is due: wake for it.
          await Promise.race([this.clock.sleep(wait), new Promise<void>((resolve) => (this.wake = resolve))]);
          this.wake = null;
          continue;
        }
        const resolve = this.waiting[lane].shift();
        const grant = this.nextGrant++;
        const counted = now + this.expectedArrivalDelay();
        this.countStart(counted);
        this.granted.set(grant, { at: now, counted });
        resolve?.({ grant, inFlightTarget: this.inFlightTarget() });
      }
    } finally {
      this.pumping = false;
    }
  }
}
