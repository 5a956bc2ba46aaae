/**
 * Frontmatter schema of an item in content/. Checked at build time by
 * scripts/build-content.ts; the Worker only ever sees validated, compiled items, typed by
 * src/content/item.ts (the check at the end keeps the two the same shape).
 */
import { z } from "zod";
import { eventTimeZones } from "../../src/content/event-time-zones.ts";
import type { Frontmatter } from "../../src/content/item.ts";
import type { SameType } from "../same-type.ts";
import { slug } from "./slug.ts";

/** ISO 8601 date-time with an explicit offset, e.g. 2021-10-18T17:39:41+08:00. */
export const offsetDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/,
    "an ISO 8601 date-time with an offset, e.g. 2021-10-18T17:39:41+08:00",
  );

/** A link a reader follows: only http and https (a javascript: or data: URL would run in the page or the feed reader). */
const webUrl = z.url({ protocol: /^https?$/, error: "an http or https URL" });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");


/** When an event starts or ends: a date-time with an offset, or a whole day (YYYY-MM-DD) in the event's time zone. */
const eventTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$/,
    "a date-time with an offset (2026-12-10T14:00:00+08:00) or, for a whole-day event, a date (2026-12-10)",
  );

const tag = z
  .string()
  .regex(/^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u, "a tag of letters, digits and single dashes");

export const frontmatterSchema = z.strictObject({
  /** Permanent id: an absolute URI (a tag: URI here) that never changes once published. */
  id: z.string().regex(/^(tag|urn|https?):\S+$/, "an absolute URI such as tag:example.com,2021-10-18:slug"),
  title: z.string().min(1),
  slug,
  summary: z.string().min(1),
  author: z.string().min(1),
  source: z.strictObject({ name: z.string().min(1), url: webUrl.optional() }),
  /** When the source published it. */
  published: offsetDateTime,
  /** When it entered this collection: digests select "new since the last edition" by this. */
  added: offsetDateTime,
  updated: offsetDateTime.optional(),
  lang: z.literal("zh-CN"),
  tags: z.array(tag).min(1),
  kind: z.enum(["article", "event"]),
  highlights: z.array(z.string().min(1)).default([]),
  figures: z.array(z.strictObject({ file: z.string().min(1), caption: z.string().min(1) })).default([]),
  rights: z.string().min(1).optional(),
  /** Only for kind: event. */
  event: z
    .strictObject({
      /** First and last moment (or first and last day); both the same kind. */
      starts: eventTime,
      ends: eventTime,
      timezone: z.enum(Object.keys(eventTimeZones) as [keyof typeof eventTimeZones]),
      venue: z.string().min(1).optional(),
      registration: z
        .strictObject({ url: webUrl.optional(), deadline: offsetDateTime.optional() })
        .optional(),
      sessions: z.array(z.strictObject({ date: isoDate, title: z.string().min(1) })).default([]),
      topics: z.array(z.string().min(1)).default([]),
      prizes: z.array(z.string().min(1)).default([]),
    })
    .optional(),
});

/** Fails to compile when the schema's output and the Worker's Frontmatter type drift apart. */
export const frontmatterMatchesWorkerType: SameType<z.output<typeof frontmatterSchema>, Frontmatter> = true;
