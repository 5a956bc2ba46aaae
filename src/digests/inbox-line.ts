/**
 * The inbox line of an edition: its subject and its preheader. Pure.
 *
 * A phone shows about 28 Chinese characters of a subject, so the digest's name comes
 * first (the subjects of two digests differ from the first character) and the lead
 * title is shortened to what is left, at a natural break: before a comma or a colon,
 * after a closing quote, between two Latin words; never inside a word or a quotation.
 * The preheader is the lead's summary, cut the same way to 60 characters. An event that
 * has ended when the edition goes out leads as 【2021 回顾】, and its preheader says so.
 * An edition without items says 本期暂无新内容 instead of a lead (so a subject never
 * names the digest twice).
 */
import { eventPhase } from "../content/event-time.ts";
import type { ContentItem } from "../content/item.ts";
import { formatChineseDate } from "../text/beijing-time.ts";
import type { Digest } from "./digest.ts";

/** Subject width, in Chinese characters (a Latin letter, digit or space counts half). */
export const SUBJECT_MAX_WIDTH = 28;
/** Preheader length, in characters. */
export const PREHEADER_MAX_LENGTH = 60;
export const NOTHING_NEW = "本期暂无新内容";

/** The edition as the inbox line needs it: its Beijing date, YYYY-MM-DD. */
interface EditionDate {
  date: string;
}

/** Display width: CJK and full-width characters 1, Latin letters, digits and spaces ½. */
export const subjectWidth = (text: string): number => [...text].reduce((sum, ch) => sum + (ch <= "\u00ff" ? 0.5 : 1), 0);
const length = (text: string): number => [...text].length;

/** Punctuation a phrase ends before (dropped when cut there). */
const PAUSE = new Set([..."，。：；！？、,;!?｜|"]);
const LATIN = /[A-Za-z0-9]/;
const OPENING = "「『（《【“(";
const CLOSING = "」』）》】”)";

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (OPENING.includes(ch)) depth++;
    else if (CLOSING.includes(ch)) depth--;
  }
  return depth === 0;
}

/** The prefixes of `text` that end at a natural break, longest first. */
function breaks(text: string): string[] {
  const chars = [...text];
  const cuts: string[] = [];
  for (let i = chars.length - 1; i > 0; i--) {
    const ch = chars[i] ?? "";
    const before = chars[i - 1] ?? "";
    const betweenWords = ch === " " && LATIN.test(before) && LATIN.test(chars[i + 1] ?? "");
    if (PAUSE.has(ch) || betweenWords || CLOSING.includes(before)) cuts.push(chars.slice(0, i).join("").trimEnd());
  }
  return cuts.filter((cut) => cut.length > 0 && !PAUSE.has(cut.at(-1) ?? "") && balanced(cut));
}

/**
 * `text` if it fits in `max` (measured by `measure`), else its longest prefix ending at a
 * natural break plus `suffix`; with no break early enough, as many whole characters as
 * fit (a Latin word is never cut) and an ellipsis.
 */
export function shortenAtBreak(text: string, max: number, measure = subjectWidth, suffix = ""): string {
  if (measure(text) <= max) return text;
  const cut = breaks(text).find((prefix) => measure(prefix + suffix) <= max);
  if (cut) return cut + suffix;
  let kept = "";
  for (const word of text.match(/[A-Za-z0-9]+|./gsu) ?? []) {
    if (measure(`${kept}${word}…`) > max) break;
    kept += word;
  }
  return `${kept.trimEnd()}…`;
}

/** The year of an event the edition tells as a recap, or null. */
function recapYear(item: ContentItem | undefined, now: Date): string | null {
  return item?.event && eventPhase(item.event, now) === "ended" ? item.event.starts.slice(0, 4) : null;
}

/**
 * The subject: the digest's template with `{lead}` (the lead title, shortened to fit),
 * `{count}` (「等 N 篇」 for two items or more) and `{date}`.
 */
export function editionSubject(digest: Digest, items: readonly ContentItem[], edition: EditionDate, now: Date): string {
  const lead = items[0];
  const count = items.length >= 2 ? `等 ${items.length} 篇` : "";
  const frame = digest.subject.replaceAll("{date}", formatChineseDate(edition.date)).replaceAll("{count}", count);
  if (!lead) return frame.replaceAll("{lead}", NOTHING_NEW);
  const year = recapYear(lead, now);
  const marker = year ? `【${year} 回顾】` : "";
  const room = SUBJECT_MAX_WIDTH - subjectWidth(frame.replaceAll("{lead}", marker));
  return frame.replaceAll("{lead}", marker + shortenAtBreak(lead.title, room));
}

/** The preheader: the lead's summary in at most 60 characters (a recap says so first). */
export function editionPreheader(items: readonly ContentItem[], edition: EditionDate, now: Date): string {
  const lead = items[0];
  if (!lead) return `${formatChineseDate(edition.date)}：${NOTHING_NEW}。`;
  const year = recapYear(lead, now);
  const prefix = year ? `${year} 年回顾：` : "";
  const room = PREHEADER_MAX_LENGTH - length(prefix);
  const summary = lead.summary.trim();
  if (length(summary) <= room) return prefix + summary;
  return prefix + shortenAtBreak(summary, room, length, "…");
}
