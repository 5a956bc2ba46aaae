/**
 * Noto Sans SC for the share cards, from @fontsource/noto-sans-sc: the font is split
 * into ~100 files by unicode-range, and satori needs real font files (woff, not woff2),
 * so each card loads only the files that hold its characters. Satori does no fallback
 * among files of one family, so each file is its own family and the card lists them all.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface CardFont {
  name: string;
  data: Buffer;
  weight: 400 | 700;
  style: "normal";
}

interface FontFile {
  file: string;
  ranges: [number, number][];
}

const packageDir = dirname(createRequire(import.meta.url).resolve("@fontsource/noto-sans-sc/package.json"));

const FACE = /url\(\.\/files\/([^)]+\.woff)\) format\('woff'\);\s*unicode-range: ([^;]+);/g;

function fontFiles(weight: 400 | 700): FontFile[] {
  const css = readFileSync(join(packageDir, `${weight}.css`), "utf8");
  return [...css.matchAll(FACE)].map(([, file, ranges]) => ({
    file: file!,
    ranges: ranges!.split(",").map((range) => {
      const [from, to = from] = range.trim().replace(/^U\+/i, "").split("-");
      return [parseInt(from!, 16), parseInt(to!, 16)] as [number, number];
    }),
  }));
}

const covers = (font: FontFile, codePoint: number) => font.ranges.some(([from, to]) => codePoint >= from && codePoint <= to);

/** The font files, at one weight, that hold the characters of `text`. */
export function cardFonts(text: string, weight: 400 | 700): CardFont[] {
  const codePoints = new Set([...text].map((char) => char.codePointAt(0)!));
  return fontFiles(weight)
    .filter((font) => [...codePoints].some((codePoint) => covers(font, codePoint)))
    .map((font) => ({ name: `${font.file}`, data: readFileSync(join(packageDir, "files", font.file)), weight, style: "normal" }));
}
