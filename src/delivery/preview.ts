/**
 * The next edition exactly as a subscriber would receive it, with a sample recipient's
 * links. Shared by /digests/:id/preview and the console's digest page.
 */
import type { ThemeName } from "../../emails/theme.ts";
import type { Config } from "../config.ts";
import type { Digest } from "../digests/catalog.ts";
import type { ContentItem } from "../content/item.ts";
import type { EditionRef } from "../digests/digest-view.ts";
import type { NextEdition } from "../digests/next-edition.ts";
import { personalize, renderDigest } from "../digests/render-digest.ts";
import { recipientLinks } from "../subscribers/links.ts";
import { planEdition, sendRefusal } from "./open-edition.ts";

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

/** The scheduled next edition, as the cron will send it (the public preview route stores it per send time). */
export function previewEdition(config: Config, digest: Digest, next: NextEdition, theme: ThemeName): Promise<DigestPreview> {
  return preview(config, digest, next.items, next.edition, next.sendAt, theme, next.wouldSend);
}

/** The edition "send now" would open at `now` (the console's dry run shows the same edition). */
export async function previewSendNow(db: D1Database, config: Config, digest: Digest, now: Date): Promise<DigestPreview> {
  const plan = await planEdition(db, digest, now);
  const edition = { id: plan.editionId, date: plan.date };
  return preview(config, digest, plan.items, edition, now, digest.theme, sendRefusal(plan, false) === null);
}

async function preview(
  config: Config,
  digest: Digest,
  items: readonly ContentItem[],
  edition: EditionRef,
  at: Date,
  theme: ThemeName,
  wouldSend: boolean,
): Promise<DigestPreview> {
  const [rendered, links] = await Promise.all([
    renderDigest(digest, items, edition, { url: config.siteUrl, mailFrom: config.mailFrom }, at, { theme }),
    recipientLinks(config.siteUrl, config.signingSecret, SAMPLE_SUBSCRIBER_ID, digest.id),
  ]);
  const copy = personalize(rendered, links);
  return { subject: rendered.subject, html: copy.html, text: copy.text, items: items.length, wouldSend };
}
