/**
 * Metadata found in a page's text: the publication time (with its +08:00 offset), the
 * author and the source name. Scraped pages put them on short lines near the title
 * ("发表于 2021-10-18 17:39:41", "机器之心原创作者:闻菲", "2023年05月12日 09:30 来源：星海日报").
 */
export interface PageMeta {
  title?: string;
  author?: string;
  sourceName?: string;
  sourceUrl?: string;
  /** ISO 8601 with +08:00. */
  published?: string;
  /** A date without a time: not enough for `published`, shown in its TODO. */
  publishedDay?: string;
  rights?: string;
}

const pad = (n: number | string) => String(n).padStart(2, "0");

const DATE_TIME = /(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?/;

/** A date and time as Beijing wall-clock time, the way Chinese pages print it. */
export function beijingTime(text: string): { published?: string; publishedDay?: string } | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const day = `${y}-${pad(mo ?? "")}-${pad(d ?? "")}`;
  if (h === undefined) return { publishedDay: day };
  return { published: `${day}T${pad(h)}:${mi}:${s ?? "00"}+08:00` };
}

/** An instant (Unix seconds or an ISO string with an offset) as +08:00 time. */
export function instantInBeijing(instant: number | string): string | undefined {
  const ms = typeof instant === "number" ? instant * 1000 : Date.parse(instant);
  if (!Number.isFinite(ms)) return undefined;
  const local = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

const AUTHOR = /(?:作者|^文)\s*[:：|｜/]\s*([^\s|｜,，;；]{2,20})/;
const REPORTER = /记者\s*([\p{Script=Han}]{2,4})(?=\s|$|[）)])/u;
const SOURCE = /来源\s*[:：]\s*([^\s|｜,，;；]{2,30})/;
const ORIGINAL = /^([^\s:：]{2,20}?)原创/;
/** A line that starts with the time: "发表于 2021-10-18 17:39:41", "·2024年01月18日 10:24". */
const TIME_FIRST = /^[·•]?\s*(发表于|发布于|发布时间|时间)?[:：]?\s*\d{4}/u;
/** A 公众号 header copied from a phone: "原创 林晓 星海教育观察 2024年03月08日 07:30 浙江". */
const WECHAT_ORIGINAL = /^原创\s+(\S{2,20})\s+(\S{2,30})\s+(\d{4}年\d{1,2}月\d{1,2}日(?:\s+\d{1,2}:\d{2})?)(?:\s+(?:发表于)?\S{2,6})?$/u;
/** A phpBB post header: "由 青禾 » 2024年 4月 7日 20:13". */
const FORUM_BYLINE = /^由\s*(\S{1,30}?)\s*»\s*(\d{4}.*)$/u;
/** A CSDN header: "于 2023-11-02 10:15:36 发布" (not "已于 … 修改", an update). */
const POSTED = /^于\s*(\d{4}.*?)\s*发布$/u;
/** A news page's date line naming the outlet: "2024年03月05日 08:12 新华网". */
const DATED_OUTLET = /^\d{4}\S*\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s+(\p{Script=Han}{2,10}(?:网|报|社|新闻|电视台|通讯社))$/u;

/** The metadata of a site-specific header line, or undefined. */
function headerLine(text: string): PageMeta | undefined {
  const original = WECHAT_ORIGINAL.exec(text);
  if (original) return { author: original[1], sourceName: original[2], ...beijingTime(original[3] ?? "") };
  const forum = FORUM_BYLINE.exec(text);
  if (forum) return { author: forum[1], ...beijingTime(forum[2] ?? "") };
  const posted = POSTED.exec(text);
  if (posted) return beijingTime(posted[1] ?? "");
  return undefined;
}

/** The metadata on a short line near the title, or undefined if the line carries none. */
export function metaFromLine(line: string): PageMeta | undefined {
  const text = line.trim();
  if (text.length > 80 || /[。！？]/.test(text)) return undefined;
  const header = headerLine(text);
  if (header) return header;
  const found: PageMeta = {};
  const time = TIME_FIRST.test(text) ? beijingTime(text) : undefined;
  Object.assign(found, time);
  const author = AUTHOR.exec(text)?.[1] ?? REPORTER.exec(text)?.[1];
  if (author) found.author = author;
  const source = SOURCE.exec(text)?.[1] ?? ORIGINAL.exec(text)?.[1] ?? DATED_OUTLET.exec(text)?.[1];
  if (source) found.sourceName = source;
  return Object.keys(found).length > 0 ? found : undefined;
}

/** Fills what `into` lacks from `from`; what was found first wins. */
export function mergeMeta(into: PageMeta, from: PageMeta): PageMeta {
  const merged: PageMeta = { ...into };
  for (const [key, value] of Object.entries(from) as [keyof PageMeta, string | undefined][]) {
    if (value && !merged[key]) merged[key] = value;
  }
  return merged;
}
