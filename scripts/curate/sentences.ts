/**
 * The report's guarantee that curation kept every sentence: the kept input text and the
 * output are compared sentence by sentence, regardless of white space, Markdown syntax and
 * full- or half-width punctuation (which curation changes on purpose).
 */
import type { Block } from "./blocks.ts";

// Every kind of quote is one: curation turns "" and “” into 「」 and 『』.
const TO_ASCII: Record<string, string> = { "，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "？": "?", "！": "!", "“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"' };

/** Markdown reduced to its words: no markers, link text without targets, figures as their captions. */
export function markdownPlain(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, "$1");
}

export function blocksPlain(blocks: Block[]): string {
  return blocks.map((b) => (b.kind === "figure" ? (b.caption ?? "") : markdownPlain(b.text))).join("\n");
}

/** Where a removed part was: sentences never run across it. */
const CUT = "\uE000";

/** The text without the removed parts (compared without white space): what the output must still hold. */
export function withoutParts(text: string, parts: string[]): string {
  let flat = text.replace(/\s+/g, "");
  for (const part of parts) {
    const needle = markdownPlain(part).replace(/\s+/g, "");
    if (needle) flat = flat.replace(needle, CUT);
  }
  return flat;
}

/** Sentences of a text, compared without white space and with ASCII punctuation. */
export function sentences(text: string): string[] {
  const flat = markdownPlain(text)
    .replace(/[，：；（）？！“”「」『』]/g, (c) => TO_ASCII[c] ?? c)
    .replace(/\s+/g, "");
  return flat.split(/\uE000|(?<=[。!?]["’)]*)/u).filter((s) => s.length > 0);
}

export interface SentenceCheck {
  in: number;
  out: number;
  missing: string[];
  added: string[];
}

/** Sentences of `input` missing from `output` and the other way round (as multisets). */
export function compareSentences(input: string, output: string): SentenceCheck {
  const before = sentences(input);
  const after = sentences(output);
  const remaining = new Map<string, number>();
  for (const s of after) remaining.set(s, (remaining.get(s) ?? 0) + 1);
  const missing: string[] = [];
  for (const s of before) {
    const left = remaining.get(s) ?? 0;
    if (left > 0) remaining.set(s, left - 1);
    else missing.push(s);
  }
  const added = [...remaining].flatMap(([s, n]) => Array<string>(n).fill(s));
  return { in: before.length, out: after.length, missing, added };
}
