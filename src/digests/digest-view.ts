/** Builds the digest template's props from a digest, its items and an edition. Pure. */
import type { DigestEmailItem, DigestEmailProps } from "../../emails/digest.tsx";
import type { ThemeName } from "../../emails/theme.ts";
import type { ContentItem } from "../content/schema.ts";
import type { RecipientLinks } from "../subscribers/links.ts";
import { articlePath } from "../feeds/publication.ts";
import { formatChineseDate as chineseDate } from "../pages/beijing-time.ts";
import { chineseDateRange } from "./beijing-time.ts";
import type { Digest } from "./schema.ts";

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

/** Fills `{date}` in a subject or preheader template. */
export function fillTemplate(template: string, edition: EditionRef): string {
  return template.replaceAll("{date}", chineseDate(edition.date));
}

function itemView(siteUrl: string, item: ContentItem): DigestEmailItem {
  const published = chineseDate(item.published.slice(0, 10));
  return {
    title: item.title,
    url: `${siteUrl}${articlePath(item.slug)}`,
    summary: item.summary,
    byline: [item.author, item.source.name, published].join(" · "),
    highlights: item.highlights,
    ...(item.event
      ? {
          event: {
            dates: chineseDateRange(item.event.starts, item.event.ends),
            sessions: item.event.sessions.map((s) => ({ date: chineseDate(s.date), title: s.title })),
            topics: item.event.topics,
            prizes: item.event.prizes,
          },
        }
      : {}),
  };
}

export function digestEmailProps(
  digest: Digest,
  items: readonly ContentItem[],
  edition: EditionRef,
  site: SiteRef,
  /** The recipient's own links; null for the public web version. */
  recipient: RecipientLinks | null,
  theme: ThemeName = digest.theme,
): DigestEmailProps {
  return {
    theme,
    title: digest.title,
    dateLabel: chineseDate(edition.date),
    preheader: fillTemplate(digest.preheader, edition),
    intro: digest.intro
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean),
    items: items.map((item) => itemView(site.url, item)),
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
