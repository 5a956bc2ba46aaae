/**
 * The project's one rule for mixing Chinese with Latin letters and digits: a single
 * space between a Han character and a Latin letter or digit, in either order
 * ("悟道 2.0", "C 语言", "2018 年 11 月"). Full-width punctuation never takes a space.
 * Used by templates, by the content build (which rejects text that breaks it) and by
 * curation (which applies it).
 */
const HAN = "\\p{Script=Han}";
const LATIN = "[A-Za-z0-9]";
const hanThenLatin = new RegExp(`(${HAN})(${LATIN})`, "gu");
const latinThenHan = new RegExp(`(${LATIN})(${HAN})`, "gu");

/** The text with the rule applied; already spaced text comes back unchanged. */
export function spaceCjkLatin(text: string): string {
  return text.replace(hanThenLatin, "$1 $2").replace(latinThenHan, "$1 $2");
}

/** Places that break the rule, each as a short excerpt around the missing space. */
export function cjkLatinSpacingViolations(text: string): string[] {
  const found: string[] = [];
  for (const pattern of [hanThenLatin, latinThenHan]) {
    for (const match of text.matchAll(pattern)) {
      const at = match.index ?? 0;
      found.push(text.slice(Math.max(0, at - 6), at + 8));
    }
  }
  return found;
}
