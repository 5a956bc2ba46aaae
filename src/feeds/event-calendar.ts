/**
 * An event item as an RFC 5545 calendar (GET /articles/:slug/event.ics, "添加到日历").
 * Pure and written by hand: CRLF line ends, lines folded at 75 octets without splitting
 * a UTF-8 character, TEXT values escaped. Whole-day events are DATE values (DTEND is the
 * day after the last, as RFC 5545 wants); timed ones are local times in the event's zone
 * with a VTIMEZONE block, so calendars show them in Beijing time wherever the reader is.
 */
import { isWholeDay } from "../content/event-time.ts";
import { eventTimeZones } from "../content/event-time-zones.ts";
import type { ContentItem, EventFacts } from "../content/item.ts";
import { articlePath } from "./publication.ts";

const encoder = new TextEncoder();
const MAX_LINE_OCTETS = 75;

/**
 * Every way text can break a line: CRLF, a bare CR or LF, NEL, and Unicode's line and
 * paragraph separators. Some calendar parsers end a content line at any of them, so one
 * left in a venue could start a property of its own (an ATTENDEE, a VALARM).
 */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/** TEXT value escaping (RFC 5545 3.3.11): every line break becomes the escaped \n. */
export const escapeText = (text: string): string =>
  text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(LINE_BREAK, "\\n");

/** Folds a content line (RFC 5545 3.1): at most 75 octets a line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > MAX_LINE_OCTETS) {
      lines.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join("\r\n");
}

const compact = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** 20261129T015845Z */
const utcStamp = (ms: number) => compact(new Date(ms).toISOString());

/** Wall-clock time of an instant in the event's zone, as a DATE-TIME without zone: 20261210T140000. */
function localTime(iso: string, event: EventFacts): string {
  const offset = eventTimeZones[event.timezone];
  const minutes = (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return compact(new Date(Date.parse(iso) + minutes * 60_000).toISOString()).slice(0, 15);
}

/** The zone as a fixed offset: Asia/Shanghai has kept +08:00 without daylight saving since 1991. */
function timeZoneBlock(event: EventFacts): string[] {
  const offset = eventTimeZones[event.timezone].replace(":", "");
  return [
    "BEGIN:VTIMEZONE",
    `TZID:${event.timezone}`,
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
  ];
}

function eventTimes(event: EventFacts): string[] {
  if (isWholeDay(event)) {
    const dayAfterLast = new Date(Date.parse(`${event.ends}T00:00:00Z`) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    return [`DTSTART;VALUE=DATE:${compact(event.starts)}`, `DTEND;VALUE=DATE:${compact(dayAfterLast)}`];
  }
  return [`DTSTART;TZID=${event.timezone}:${localTime(event.starts, event)}`, `DTEND;TZID=${event.timezone}:${localTime(event.ends, event)}`];
}

export function eventCalendar(item: ContentItem, event: EventFacts, siteUrl: string): string {
  const url = `${siteUrl}${articlePath(item.slug)}`;
  const description = [item.summary, `详情：${url}`, ...(event.registration?.url ? [`报名：${event.registration.url}`] : [])];
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//newsletter-feeds//AI Frontier Digest//ZH-CN",
    "CALSCALE:GREGORIAN",
    ...(isWholeDay(event) ? [] : timeZoneBlock(event)),
    "BEGIN:VEVENT",
    // The item id is permanent, so a calendar that imports the file twice updates one event.
    `UID:${escapeText(item.id)}`,
    // When this description of the event last changed: the file is the same until the item is.
    `DTSTAMP:${utcStamp(Date.parse(item.updated ?? item.added))}`,
    ...eventTimes(event),
    `SUMMARY:${escapeText(item.title)}`,
    ...(event.venue ? [`LOCATION:${escapeText(event.venue)}`] : []),
    `URL:${url}`,
    `DESCRIPTION:${escapeText(description.join("\n\n"))}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
