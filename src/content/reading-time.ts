/**
 * Reading time of an article: Chinese is read at about 400 characters a minute, and the
 * odd Latin word (names, "AI", numbers) at about 200 words a minute. Counted on the text
 * a reader sees, without tags.
 */
const CHINESE_PER_MINUTE = 400;
const LATIN_WORDS_PER_MINUTE = 200;

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*/g;

/** Whole minutes, at least one. */
export function readingMinutes(html: string): number {
  const text = html.replace(/<[^>]*>/g, " ");
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  return Math.max(1, Math.round(han / CHINESE_PER_MINUTE + latin / LATIN_WORDS_PER_MINUTE));
}
