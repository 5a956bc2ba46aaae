/**
 * The one owner of the provider's window when several consumers or isolates send: a
 * Durable Object (one instance per account, by name) holding a Pacer on its own clock.
 * Every sender asks it for a grant before a request and reports the answer after, so
 * parallel consumers share one account of the window and do not collect 429s from
 * each other. Its state lives in memory: an evicted instance starts over by learning
 * the limit from the next answer, as a fresh isolate would.
 */
import { DurableObject } from "cloudflare:workers";
import { systemClock } from "../clock.ts";
import { Pacer, type Lane, type SendWindow, type WindowGrant } from "./pacer.ts";
import { InFlightTarget } from "./in-flight-target.ts";

export class ProviderWindow extends DurableObject<Env> {
  private readonly pacer = new Pacer(systemClock);

  acquire(lane: Lane): Promise<WindowGrant> {
    return this.pacer.acquire(lane);
  }

  settle(grant: number, headers: Record<string, string> | null, latencyMs: number): Promise<number> {
    return this.pacer.settle(grant, headers, latencyMs);
  }
}

/** The account's window: one Durable Object named after the provider. */
export function sharedWindow(env: Env): SendWindow {
  const stub = env.PROVIDER_WINDOW.get(env.PROVIDER_WINDOW.idFromName("resend"));
  const target = new InFlightTarget();
  return {
    clock: systemClock,
    async acquire(lane) {
      const granted = await stub.acquire(lane);
      target.set(granted.inFlightTarget);
      return granted;
    },
    async settle(grant, headers, latencyMs) {
      target.set(await stub.settle(grant, headers, latencyMs));
      return target.get();
    },
    inFlightTarget: () => target.get(),
    targetRaised: () => target.raised(),
  };
}
