/**
 * Which methods a path answers, for a 405's Allow header (RFC 9110 15.5.6): worked out
 * only when the router found no handler, so the routes are indexed on the first miss and
 * no request that matches a route pays anything.
 */
import { TrieRouter } from "hono/router/trie-router";
import type { RouterRoute } from "hono/types";

/** A route registered with app.use() answers every method: it is middleware, not a resource. */
const ANY_METHOD = "ALL";

const indexes = new WeakMap<readonly RouterRoute[], TrieRouter<string>>();

function indexOf(routes: readonly RouterRoute[]): TrieRouter<string> {
  let index = indexes.get(routes);
  if (!index) {
    // The trie takes any mix of patterns (the RegExpRouter refuses some once all methods share one table).
    index = new TrieRouter<string>();
    // Every route under ANY_METHOD with its own method as the handler: one match lists them all.
    for (const route of routes) if (route.method !== ANY_METHOD) index.add(ANY_METHOD, route.path, route.method);
    indexes.set(routes, index);
  }
  return index;
}

/** The methods the routes answer on `path`, HEAD with GET; empty when no route has the path. */
export function allowedMethods(routes: readonly RouterRoute[], path: string): string[] {
  const [matched] = indexOf(routes).match(ANY_METHOD, path);
  const methods = new Set(matched.map(([method]) => method));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}
