/**
 * A content item as the Worker sees it: compiled at build time from content/*.md by
 * scripts/build-content.ts, whose zod schema (scripts/content/frontmatter-schema.ts) checks
 * every file and is type-checked to produce exactly these shapes.
 */
import type { eventTimeZones } from "./event-time-zones.ts";

/** An event's facts (frontmatter `event`, only for kind: event). */
export interface EventFacts {
  /** First and last moment (or first and last day); both the same kind. */
  starts: string;
  ends: string;
  timezone: keyof typeof eventTimeZones;
  venue?: string;
  registration?: { url?: string; deadline?: string };
  sessions: { date: string; title: string }[];
  topics: string[];
  prizes: string[];
}

/** Validated frontmatter of an item in content/. */
export interface Frontmatter {
  /** Permanent id: an absolute URI (a tag: URI here) that never changes once published. */
  id: string;
  title: string;
  slug: string;
  summary: string;
  author: string;
  source: { name: string; url?: string };
  /** When the source published it (ISO 8601 with an offset). */
  published: string;
  /** When it entered this collection: digests select "new since the last edition" by this. */
  added: string;
  updated?: string;
  lang: "zh-CN";
  tags: string[];
  kind: "article" | "event";
  highlights: string[];
  figures: { file: string; caption: string }[];
  rights?: string;
  event?: EventFacts;
}

/** A compiled item: validated frontmatter plus the body rendered to HTML and plain text. */
export interface ContentItem extends Frontmatter {
  html: string;
  text: string;
  /**
   * An event's own call to register (the body after a `<!-- registration -->` line): shown
   * only while registration is open, never for an event that has ended.
   */
  registration?: { html: string; text: string };
}
