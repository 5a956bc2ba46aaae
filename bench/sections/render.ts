/**
 * Section 2: digest rendering in workerd, production build against the development
 * build of the same bench Worker, and personalisation for many recipients against
 * rendering each copy afresh. Times are wall times of requests, measured in Node.
 */
import { digests } from "../../src/digests/catalog.ts";
import { benchConfig, buildWorker } from "../lib/build.ts";
import { median, num } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";
import { startWorkerd, type Runtime } from "../lib/workerd.ts";

const SECTION = "2 render (workerd)";

async function call(runtime: Runtime, path: string): Promise<number> {
  const response = await fetch(new URL(path, runtime.url));
  const body = (await response.json()) as { checksum?: number; error?: string };
  if (!response.ok || body.checksum === undefined) throw new Error(`render worker ${path}: ${body.error ?? response.status}`);
  return body.checksum;
}

async function wallMs(runtime: Runtime, path: string): Promise<number> {
  const started = performance.now();
  await call(runtime, path);
  return performance.now() - started;
}

/** ms per operation: (time of n operations − time of none) / n, median over rounds. */
async function msPerOperation(runtime: Runtime, path: string, n: number, rounds: number): Promise<number> {
  const separator = path.includes("?") ? "&" : "?";
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const empty = await wallMs(runtime, `${path}${separator}n=0`);
    const full = await wallMs(runtime, `${path}${separator}n=${n}`);
    samples.push((full - empty) / n);
  }
  return median(samples);
}

interface EditionTimes {
  html: number;
  /** The plain-text part, derived from the HTML: renderDigest minus the HTML render. */
  text: number;
}

/** Per round, n HTML renders and n whole editions back to back; medians of the per-round figures. */
async function editionTimes(runtime: Runtime, digestId: string, n: number, rounds: number): Promise<EditionTimes> {
  const query = `digest=${encodeURIComponent(digestId)}`;
  await call(runtime, `/edition?${query}&n=${n}`); // warm-up: loads React and the template, lets the JIT settle
  const html: number[] = [];
  const text: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const empty = await wallMs(runtime, `/html?${query}&n=0`);
    const htmlOnly = await wallMs(runtime, `/html?${query}&n=${n}`);
    const edition = await wallMs(runtime, `/edition?${query}&n=${n}`);
    html.push((htmlOnly - empty) / n);
    text.push((edition - htmlOnly) / n);
  }
  return { html: median(html), text: median(text) };
}

export interface RenderSettings {
  rounds: number;
  recipients: number;
}

export async function renderRows(settings: RenderSettings): Promise<Row[]> {
  const configPath = benchConfig("render", "render-worker.ts");
  const [production, development] = await Promise.all([
    buildWorker("render", configPath, "production"),
    buildWorker("render-dev", configPath, "development"),
  ]);
  const prod = await startWorkerd(production, { configPath });
  const dev = await startWorkerd(development, { configPath });
  const rows: Row[] = [];
  try {
    for (const digest of digests) {
      const fast = await editionTimes(prod, digest.id, 50, settings.rounds);
      const slow = await editionTimes(dev, digest.id, 5, settings.rounds);
      for (const [part, target] of [["html", 2], ["text", 3]] as const) {
        rows.push({
          section: SECTION,
          figure: `${digest.id}: ${part === "html" ? "HTML" : "text (from the HTML)"} ms/edition`,
          measured: `${num(fast[part])} ms`,
          reference: `development build ${num(slow[part])} ms`,
          ratio: num(fast[part] / slow[part], 2),
          target: `≤ ${target} ms`,
          ok: fast[part] <= target,
        });
      }
    }
    rows.push(...(await personalizeRows(prod, settings)), await variantRow(prod, settings));
  } finally {
    await Promise.all([prod.dispose(), dev.dispose()]);
  }
  return rows;
}

/**
 * Renders per edition: the weekly to `recipients` readers, each also reading one mix of
 * the other digests (four mixes, three distinct sets of items once repeats are left out).
 */
async function variantRow(runtime: Runtime, settings: RenderSettings): Promise<Row> {
  const renders = await call(runtime, `/variants?recipients=${settings.recipients}`);
  const sets = 3;
  return {
    section: SECTION,
    figure: `renders per edition: weekly to ${settings.recipients.toLocaleString("en-US")} readers, items already sent left out`,
    measured: `${renders} renders`,
    reference: `${sets} distinct sets of items`,
    ratio: "",
    target: `= ${sets} (one per set, never one per reader)`,
    ok: renders === sets,
  };
}

/** Personalising the largest edition for `recipients` readers, against rendering each copy. */
async function personalizeRows(runtime: Runtime, settings: RenderSettings): Promise<Row[]> {
  const sizes = await Promise.all(
    digests.map(async (d) => ({ id: d.id, size: await call(runtime, `/prepare?digest=${encodeURIComponent(d.id)}&recipients=0`) })),
  );
  const largest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
  const query = `digest=${encodeURIComponent(largest.id)}`;
  await call(runtime, `/prepare?${query}&recipients=${settings.recipients}`);
  const perRecipientUs = (await msPerOperation(runtime, `/personalize?${query}`, settings.recipients, settings.rounds)) * 1000;
  const renderUs = (await msPerOperation(runtime, `/edition?${query}`, 20, settings.rounds)) * 1000;
  const linksUs = (await msPerOperation(runtime, "/links", 1000, settings.rounds)) * 1000;
  return [
    {
      section: SECTION,
      figure: `personalize ${largest.id} for ${settings.recipients.toLocaleString("en-US")} recipients, µs/recipient`,
      measured: `${num(perRecipientUs)} µs`,
      reference: `rendering each copy ${num(renderUs)} µs`,
      ratio: num(perRecipientUs / renderUs, 2),
      target: "≤ 2 µs",
      ok: perRecipientUs <= 2,
    },
    {
      section: SECTION,
      figure: "sign a recipient's links (2 HMAC tokens), µs/recipient",
      measured: `${num(linksUs)} µs`,
      reference: "",
      ratio: "",
      target: "",
      ok: null,
    },
  ];
}
