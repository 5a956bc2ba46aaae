/**
 * The one store of prepared feed and page representations, by URL. Feed readers poll
 * constantly, and for a 304 the routing and site-URL work cost about a fifth of the
 * request: once a route has prepared the representation of a URL, `servePrepared` (the
 * app's first middleware) answers later GET and HEAD requests for it with only the
 * conditional check; `onError` still applies, and stored pages carry their security headers.
 * A feed's fetch is counted for the RSS audience (src/feeds/feed-audience.ts) after the
 * response: the hit path never awaits D1.
 */
import type { Context } from "hono";
import { countFeedFetch, isFeedUrl } from "../feeds/feed-audience.ts";
import { factory, waitUntilOf, type AppEnv } from "./app-env.ts";
import { respondWith, type Representation } from "./conditional.ts";

/**
 * What a body depends on besides the URL: the environment and SITE_URL (in development
 * links follow the request's origin when SITE_URL is unset). The query is not part of
 * it: no prepared route reads one.
 */
export function storeKey(env: Pick<Env, "ENVIRONMENT" | "SITE_URL">, url: string): string {
  const query = url.indexOf("?");
  return `${env.ENVIRONMENT} ${env.SITE_URL} ${query < 0 ? url : url.slice(0, query)}`;
}

/**
 * Holds the promise while building, so concurrent first requests build once; a failed
 * build is forgotten so the next request retries. Bounded: the key holds the request's
 * origin, and Host headers are arbitrary.
 */
export class RepresentationStore {
  readonly #entries = new Map<string, Representation | Promise<Representation>>();

  constructor(readonly maxEntries = 512) {}

  /** The representation built for the key; undefined when none is built yet. */
  ready(key: string): Representation | undefined {
    const entry = this.#entries.get(key);
    return entry instanceof Promise ? undefined : entry;
  }

  /** The representation of the key: built already, being built, or built now by `build`. */
  async get(key: string, build: () => Promise<Representation>): Promise<Representation> {
    const held = this.#entries.get(key);
    if (held) return held;
    this.#makeRoom();
    const building = build();
    this.#entries.set(key, building);
    try {
      const built = await building;
      if (this.#entries.get(key) === building) this.#entries.set(key, built);
      return built;
    } catch (error) {
      if (this.#entries.get(key) === building) this.#entries.delete(key);
      throw error;
    }
  }

  #makeRoom(): void {
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
  }
}

export const representations = new RepresentationStore();

/** Counts this request's fetch of a feed for the RSS audience, after the response, under its path as sent (percent-encoded, no query). */
export function countFeedReader(c: Context<AppEnv>): void {
  const waitUntil = waitUntilOf(c);
  if (!waitUntil) return;
  const url = c.req.url;
  const query = url.indexOf("?");
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2), query < 0 ? undefined : query);
  countFeedFetch(c.env, waitUntil, c.req.raw, path);
}

/**
 * Answers GET and HEAD for a URL whose representation is prepared; everything else goes on
 * to the router. A URL with a query goes to the router too: a page reached with ?token=
 * needs the stricter Referrer-Policy that securePages gives it.
 */
export const servePrepared = factory.createMiddleware(async (c, next) => {
  const request = c.req.raw;
  const method = request.method;
  if (method === "GET" || method === "HEAD") {
    const url = request.url;
    const prepared = url.includes("?") ? undefined : representations.ready(storeKey(c.env, url));
    if (prepared) {
      if (isFeedUrl(url)) countFeedReader(c);
      return respondWith(request, prepared);
    }
  }
  await next();
});
