/**
 * The project's rules for Chinese quotation marks and the interpunct, applied by curation
 * and checked by the content build (as for spacing, src/text/cjk-spacing.ts):
 * - quotes are corner brackets, 「」 outside and 『』 nested inside (「」 again one level
 *   deeper); curly double quotes (“”) are not used in Chinese text;
 * - the interpunct · joins a name (WAIC·开发者黑客松) without spaces, or separates fields of a
 *   meta line (作者 · 来源) with one space on each side; never a space on one side only.
 */
const OPENING = new Set(["「", "『", "“"]);
const CLOSING = new Set(["」", "』", "”"]);
const CORNERS = [
  ["「", "」"],
  ["『", "』"],
] as const;

/**
 * Curly and corner quotes rewritten as corner quotes by depth: 「」 outside, 『』 inside.
 * Text whose quotes do not pair up comes back unchanged (a person must look at it).
 */
export function cornerQuotes(text: string): { text: string; changes: number } {
  const out: string[] = [];
  let depth = 0;
  let changes = 0;
  for (const char of text) {
    if (OPENING.has(char) || CLOSING.has(char)) {
      const opening = OPENING.has(char);
      if (!opening && depth === 0) return { text, changes: 0 };
      if (!opening) depth--;
      const corner = CORNERS[depth % 2]?.[opening ? 0 : 1] ?? char;
      if (opening) depth++;
      if (corner !== char) changes++;
      out.push(corner);
    } else {
      out.push(char);
    }
  }
  return depth === 0 ? { text: out.join(""), changes } : { text, changes: 0 };
}

/** The interpunct with spaces on one side only, made a joiner: "WAIC· 开发者" → "WAIC·开发者". */
export function tidyInterpuncts(text: string): { text: string; changes: number } {
  let changes = 0;
  const out = text.replace(/(\S) +·(?=\S)|(\S)· +(?=\S)/g, (_, before?: string, after?: string) => {
    changes++;
    return `${before ?? after ?? ""}·`;
  });
  return { text: out, changes };
}

/** Places that break the quote and interpunct rules, each as a short description with an excerpt. */
export function punctuationProblems(text: string): string[] {
  const problems: string[] = [];
  const excerpt = (at: number) => text.slice(Math.max(0, at - 6), at + 8).replace(/\s+/g, " ");
  for (const match of text.matchAll(/[“”]/g)) problems.push(`curly quote in "${excerpt(match.index)}": use 「」 (『』 inside 「」)`);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (char === "「" || char === "『") {
      const expected = CORNERS[depth % 2]?.[0];
      if (char !== expected) problems.push(`"${excerpt(i)}": a quote at this depth opens with ${expected}`);
      depth++;
    } else if (char === "」" || char === "』") {
      depth = Math.max(0, depth - 1);
    }
  }
  for (const match of text.matchAll(/\S +·(?=\S)|\S· +(?=\S)/g)) {
    problems.push(`"${excerpt(match.index)}": a space on one side of · only (no spaces in a name, one on each side between fields)`);
  }
  return problems;
}
