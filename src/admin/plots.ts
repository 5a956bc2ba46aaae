/**
 * SVG plots drawn by the Worker: pure functions from numbers to an SVG string, no
 * client code. Colours are CSS variables (--plot-1…--plot-4, --plot-axis, --plot-limit)
 * that the console's stylesheet flips for dark mode; every point and bar carries a
 * <title> with its exact number, which browsers show on hover. Each plot sits beside a
 * table with the same numbers (the pages do that), so nothing is only in the picture.
 */
import { escapeHtml } from "../text/escape-html.ts";

export interface Series {
  name: string;
  values: number[];
}

export interface LineChartInput {
  title: string;
  /** One label per point, shared by every series (dates, times). */
  labels: string[];
  series: Series[];
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 16, right: 16, bottom: 40, left: 44 };
const colour = (index: number) => `var(--plot-${(index % 4) + 1})`;
const round = (n: number) => Math.round(n * 10) / 10;

/** The smallest "nice" axis maximum (1, 2, 5 × 10ⁿ) at or above `value`. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

function svgOpen(title: string, width: number, height: number): string {
  return `<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>`;
}

/** About how wide a label draws at the plots' 15 px: a CJK character is square, anything else about half as wide. */
const labelWidth = (text: string) => [...text].reduce((width, char) => width + (/[\u2e80-\uffef]/.test(char) ? 15 : 8.5), 0);

/** Swatch and name of each series in a row, each entry as wide as its name (long Chinese names never overlap the next). */
function legend(series: Series[], y: number): string {
  let x = PAD.left;
  return series
    .map((s, i) => {
      const at = x;
      x += 14 + labelWidth(s.name) + 20;
      return `<rect x="${at}" y="${y - 9}" width="10" height="10" style="fill:${colour(i)}"/><text x="${at + 14}" y="${y}" class="plot-label">${escapeHtml(s.name)}</text>`;
    })
    .join("");
}

/** One polyline per series and one circle per point, with a y axis from 0 to a nice maximum. */
export function lineChart({ title, labels, series }: LineChartInput): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (i: number) => round(PAD.left + (labels.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (labels.length - 1)));
  const y = (v: number) => round(PAD.top + plotHeight - (v / max) * plotHeight);
  const grid = [0, max / 2, max]
    .map((v) => `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" class="plot-grid"/><text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" class="plot-label">${v}</text>`)
    .join("");
  const ticks = [...new Set([0, Math.floor((labels.length - 1) / 2), labels.length - 1])]
    .filter((i) => i >= 0 && labels[i] !== undefined)
    .map((i) => `<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" class="plot-label">${escapeHtml(labels[i] ?? "")}</text>`)
    .join("");
  const lines = series
    .map((s, si) => {
      const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
      const dots = s.values
        .map((v, i) => `<circle cx="${x(i)}" cy="${y(v)}" r="3.5" style="fill:${colour(si)}"><title>${escapeHtml(`${labels[i] ?? ""} · ${s.name}：${v}`)}</title></circle>`)
        .join("");
      return `<g class="series"><polyline points="${points}" fill="none" style="stroke:${colour(si)}" stroke-width="2"/>${dots}</g>`;
    })
    .join("");
  return `${svgOpen(title, WIDTH, HEIGHT)}${grid}${ticks}${lines}${legend(series, HEIGHT - 6)}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
}

export interface BarChartInput {
  title: string;
  bars: Bar[];
  /** How a value reads, e.g. as a percentage. */
  format: (value: number) => string;
  /** A threshold drawn across the bars (e.g. a mailbox provider's limit). */
  limit?: { value: number; label: string };
}

const BAR_HEIGHT = 22;
const BAR_GAP = 8;
const LABEL_WIDTH = 190;

/** Horizontal bars, one per entry, on a shared scale that always includes the limit. */
export function barChart({ title, bars, format, limit }: BarChartInput): string {
  const height = PAD.top + bars.length * (BAR_HEIGHT + BAR_GAP) + 28;
  const plotWidth = WIDTH - LABEL_WIDTH - PAD.right - 60;
  const max = Math.max(...bars.map((b) => b.value), (limit?.value ?? 0) * 1.25, Number.MIN_VALUE);
  const w = (v: number) => round((v / max) * plotWidth);
  const rows = bars
    .map((bar, i) => {
      const top = PAD.top + i * (BAR_HEIGHT + BAR_GAP);
      const over = limit !== undefined && bar.value >= limit.value;
      return `<text x="${LABEL_WIDTH - 8}" y="${top + 15}" text-anchor="end" class="plot-label">${escapeHtml(bar.label)}</text><rect x="${LABEL_WIDTH}" y="${top}" width="${Math.max(w(bar.value), 1)}" height="${BAR_HEIGHT}" style="fill:${over ? "var(--plot-limit)" : colour(0)}"><title>${escapeHtml(`${bar.label}：${format(bar.value)}`)}</title></rect><text x="${LABEL_WIDTH + Math.max(w(bar.value), 1) + 6}" y="${top + 15}" class="plot-label">${escapeHtml(format(bar.value))}</text>`;
    })
    .join("");
  const threshold = limit
    ? `<line x1="${LABEL_WIDTH + w(limit.value)}" x2="${LABEL_WIDTH + w(limit.value)}" y1="${PAD.top - 6}" y2="${height - 22}" class="plot-threshold" style="stroke:var(--plot-limit)"><title>${escapeHtml(`${limit.label}：${format(limit.value)}`)}</title></line><text x="${LABEL_WIDTH + w(limit.value)}" y="${height - 8}" text-anchor="middle" class="plot-label">${escapeHtml(`${limit.label} ${format(limit.value)}`)}</text>`
    : "";
  return `${svgOpen(title, WIDTH, height)}${rows}${threshold}</svg>`;
}
