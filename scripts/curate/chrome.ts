/**
 * Site chrome: what a site wraps around an article (navigation, login and share prompts,
 * follow prompts, counters, forum and news-site furniture). The patterns are data, in
 * chrome-patterns.json, each with the source it comes from and a fixture line that proves
 * it. A line pattern matches a whole short line, never words inside a sentence, so
 * "识别下方二维码，立即报名。" (an event's call to action) and a sentence quoting “阅读原文” stay.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const proven = { source: z.string().min(1), reason: z.string().min(1), fixture: z.string().min(1), proof: z.string().min(1) };
const linePattern = z.object({ ...proven, pattern: z.string().min(1), sentence: z.boolean().optional() });
const chromeData = z.object({
  lines: z.array(linePattern),
  ends: z.array(linePattern),
  selectors: z.array(z.object({ ...proven, selector: z.string().min(1) })),
});

export type ChromePattern = z.infer<typeof linePattern>;
export type ChromeSelector = z.infer<typeof chromeData>["selectors"][number];

export const CHROME = chromeData.parse(JSON.parse(readFileSync(new URL("./chrome-patterns.json", import.meta.url), "utf8")));

/** A pattern as it is applied: to the whole trimmed line. */
export const wholeLine = (pattern: ChromePattern) => new RegExp(`^(?:${pattern.pattern})$`, "u");

const LINE_RULES = CHROME.lines.map((p) => ({ ...p, regex: wholeLine(p) }));
const END_RULES = CHROME.ends.map((p) => ({ ...p, regex: wholeLine(p) }));

/** Chrome is short; a longer line is article text whatever it contains. */
const MAX_CHROME_LENGTH = 120;
/** A line that ends like a sentence is text, unless a pattern for fixed boilerplate ("该文观点仅代表作者本人，…。") says otherwise. */
const ENDS_LIKE_SENTENCE = /[。！？!?][」”"’）)]*$/u;

/** The reason a line is chrome, or undefined if it may be article text. */
export function chromeReason(line: string): string | undefined {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_CHROME_LENGTH) return undefined;
  const sentence = ENDS_LIKE_SENTENCE.test(text);
  const rule = LINE_RULES.find((r) => (r.sentence || !sentence) && r.regex.test(text));
  return rule ? `${rule.reason}（${rule.source}）` : undefined;
}

/** Lines after which the article is over: an end mark, an editor credit, a reply box, a related-posts block. */
export function isEndMarker(line: string): boolean {
  const text = line.trim();
  return text.length <= 40 && END_RULES.some((r) => r.regex.test(text));
}

/** A reprint or contribution notice in a page footer: kept as the item's `rights`. */
export function isRightsLine(line: string): boolean {
  return line.trim().length <= 80 && /转载|版权|投稿|获得授权|未经授权/.test(line);
}
