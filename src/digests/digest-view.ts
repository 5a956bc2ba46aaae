/** Builds the digest template's props from a digest, its items and an edition. Pure. */
import type { DigestEmailEvent, DigestEmailItem, DigestEmailProps } from "../../emails/digest.tsx";
import type { ThemeName } from "../../emails/theme.ts";
import { presentEvent } from "../content/event-presentation.ts";
import type { ContentItem, EventFacts } from "../content/item.ts";
import { articlePath, eventCalendarPath } from "../feeds/publication.ts";
import { formatChineseDate as chineseDate } from "../text/beijing-time.ts";
import type { Digest } from "./digest.ts";

/** A subscriber's personal links, as carried by every email they receive (signed in src/subscribers/links.ts). */
export interface RecipientLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export interface EditionRef {
  id: string;
  /** YYYY-MM-DD, Beijing time. */
  date: string;
}

export interface SiteRef {
  /** Absolute base URL without a trailing slash. */
  url: string;
  mailFrom: string;
}

export const webVersionUrl = (siteUrl: string, digestId: string, editionId: string) =>
  `${siteUrl}/digests/${digestId}/editions/${editionId}`;

/** The edition's lead story: its first item; an edition without items leads with the digest's title. */
export const leadTitle = (digest: Digest, items: readonly ContentItem[]): string => items[0]?.title ?? digest.title;

/** Fills `{lead}` and `{date}` in a subject or preheader template. */
export function fillTemplate(template: string, edition: EditionRef, lead: string): string {
  return template.replaceAll("{date}", chineseDate(edition.date)).replaceAll("{lead}", lead);
}

/** An event as of `now`: a recap once it has ended, otherwise when, where and how to register. */
function eventView(siteUrl: string, item: ContentItem, event: EventFacts, now: Date): DigestEmailEvent {
  const shown = presentEvent(event, now);
  return {
    phase: shown.phase,
    label: shown.label,
    when: shown.when,
    status: shown.status,
    venue: event.venue ?? null,
    sessions: event.sessions.map((s) => ({ date: chineseDate(s.date), title: s.title })),
    topics: event.topics,
    prizes: event.prizes,
    registration: shown.registrationUrl ? { url: shown.registrationUrl, deadline: shown.deadline } : null,
    calendarUrl: shown.phase === "ended" ? null : `${siteUrl}${eventCalendarPath(item.slug)}`,
  };
}

function itemView(siteUrl: string, item: ContentItem, now: Date): DigestEmailItem {
  const published = `原文发表于 ${chineseDate(item.published.slice(0, 10))}`;
  return {
    title: item.title,
    url: `${siteUrl}${articlePath(item.slug)}`,
    summary: item.summary,
    byline: [item.author, item.source.name, published].join(" · "),
    // An event's facts are shown once, in its event block; its highlights only repeat them.
    highlights: item.event ? [] : item.highlights,
    ...(item.event ? { event: eventView(siteUrl, item, item.event, now) } : {}),
  };
}

export function digestEmailProps(
  digest: Digest,
  items: readonly ContentItem[],
  edition: EditionRef,
  site: SiteRef,
  /** The moment the edition is presented (send time, or request time of a web version): events are told as of then. */
  now: Date,
  /** The recipient's own links; null for the public web version. */
  recipient: RecipientLinks | null,
  theme: ThemeName = digest.theme,
): DigestEmailProps {
  return {
    theme,
    title: digest.title,
    dateLabel: chineseDate(edition.date),
    preheader: fillTemplate(digest.preheader, edition, leadTitle(digest, items)),
    intro: digest.intro
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean),
    items: items.map((item) => itemView(site.url, item, now)),
    mailFrom: site.mailFrom,
    links: {
      site: `${site.url}/`,
      digests: `${site.url}/digests`,
      webVersion: webVersionUrl(site.url, digest.id, edition.id),
      subscribe: `${site.url}/#subscribe`,
    },
    recipient: recipient ? { unsubscribe: recipient.unsubscribeUrl, preferences: recipient.preferencesUrl } : null,
  };
}
