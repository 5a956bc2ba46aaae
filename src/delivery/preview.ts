/**
 * The next edition exactly as a subscriber would receive it, with a sample recipient's
 * links. Shared by /digests/:id/preview and the console's digest page.
 */
import type { ThemeName } from "../../emails/theme.ts";
import type { Config } from "../config.ts";
import type { Digest } from "../digests/catalog.ts";
import { nextEdition, type NextEdition } from "../digests/next-edition.ts";
import { personalize, renderDigest } from "../digests/render-digest.ts";
import { recipientLinks } from "../subscribers/links.ts";

/** The preview's sample recipient: links signed like a real subscriber's, for an id no subscriber has. */
const SAMPLE_SUBSCRIBER_ID = 0;

export interface DigestPreview {
  subject: string;
  html: string;
  text: string;
  items: number;
  /** Would the cron send it? (An empty edition is skipped unless the digest says sendWhenEmpty.) */
  wouldSend: boolean;
}

export async function previewNextEdition(db: D1Database, config: Config, digest: Digest, theme: ThemeName, now: Date): Promise<DigestPreview> {
  return previewEdition(config, digest, await nextEdition(db, digest, now), theme);
}

export async function previewEdition(config: Config, digest: Digest, next: NextEdition, theme: ThemeName): Promise<DigestPreview> {
  const [rendered, links] = await Promise.all([
    renderDigest(digest, next.items, next.edition, { url: config.siteUrl, mailFrom: config.mailFrom }, next.sendAt, { theme }),
    recipientLinks(config.siteUrl, config.signingSecret, SAMPLE_SUBSCRIBER_ID, digest.id),
  ]);
  const copy = personalize(rendered, links);
  return { subject: rendered.subject, html: copy.html, text: copy.text, items: next.items.length, wouldSend: next.wouldSend };
}
