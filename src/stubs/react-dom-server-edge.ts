/**
 * Stands in for `react-dom/server.edge` (and `react-dom/server`, which the workerd
 * condition resolves to the same file) in the Worker bundle (wrangler.toml [alias]).
 * React's entry also loads the legacy renderToString build, ~90 KiB minified, which
 * @react-email/render's edge build never calls. It calls renderToReadableStream and reads
 * the stream only after `allReady`: a whole-document render, which is what the public
 * `react-dom/static.edge` entry's prerender gives, from the same edge build of React DOM
 * and without the legacy one (test/bundle-stubs.test.ts; the email tests render through it).
 */
import type { ReactNode } from "react";
import type { PrerenderOptions } from "react-dom/static";
import { prerender } from "react-dom/static.edge";

export async function renderToReadableStream(
  children: ReactNode,
  options?: PrerenderOptions,
): Promise<ReadableStream<Uint8Array> & { allReady: Promise<void> }> {
  const { prelude } = await prerender(children, options);
  return Object.assign(prelude, { allReady: Promise.resolve() });
}
