/**
 * Feed dates. Items are dated in their author's offset (+08:00 here); the `feed` package
 * prints dates with toISOString / toUTCString, which would rewrite them to UTC. OffsetDate
 * is the same instant but prints in the original offset, so readers see 17:39:41+08:00.
 */
import type { ContentItem } from "../content/collection.ts";

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

export class OffsetDate extends Date {
  readonly #rfc3339: string;
  readonly #rfc822: string;

  /** @param iso an ISO 8601 date-time with an offset, as the content schema requires */
  constructor(iso: string) {
    const match = DATE_TIME.exec(iso);
    if (!match) throw new RangeError(`not an ISO 8601 date-time with an offset: ${iso}`);
    super(iso);
    const [, day, hourMinute, seconds = "00", zone, sign, hours = "00", minutes = "00"] = match;
    const offsetMinutes = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
    this.#rfc3339 = `${day}T${hourMinute}:${seconds}${zone === "Z" ? "Z" : zone}`;
    // RFC 822 wants the wall-clock time at that offset: shift the instant, then read it as UTC.
    const wall = new Date(this.getTime() + offsetMinutes * 60_000);
    const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
    this.#rfc822 =
      `${DAYS[wall.getUTCDay()]}, ${pad(wall.getUTCDate())} ${MONTHS[wall.getUTCMonth()]} ${wall.getUTCFullYear()} ` +
      `${time} ${zone === "Z" ? "+0000" : `${sign}${hours}${minutes}`}`;
  }

  /** RFC 3339 in the original offset (Atom, JSON Feed). */
  override toISOString(): string {
    return this.#rfc3339;
  }

  /** RFC 822 in the original offset (RSS). */
  override toUTCString(): string {
    return this.#rfc822;
  }
}

/** When an item's text last changed: its `updated` time, else its `published` time (an entry's date in the feeds). */
export const lastChange = (item: ContentItem): string => item.updated ?? item.published;

/**
 * When what we serve about an item last changed: the newest of published, updated and
 * added. An old article added today is new here, so it must move Last-Modified, or a
 * reader's If-Modified-Since would get a 304 that hides it.
 */
export function lastModified(item: ContentItem): string {
  let newest = item.published;
  for (const time of [item.updated, item.added]) {
    if (time !== undefined && Date.parse(time) > Date.parse(newest)) newest = time;
  }
  return newest;
}

/** The item that changed last sets the date of a feed or list page; the epoch for no items. */
export function newestChange(items: readonly ContentItem[]): string {
  let newest = "1970-01-01T00:00:00Z";
  for (const item of items) {
    if (Date.parse(lastModified(item)) > Date.parse(newest)) newest = lastModified(item);
  }
  return newest;
}
