/**
 * A digest as the Worker sees it: compiled at build time from content/digests/<id>.yaml by
 * scripts/build-content.ts, whose zod schema (scripts/digests/digest-schema.ts) checks
 * every file and is type-checked to produce exactly this shape.
 */
import type { ThemeName } from "../../emails/theme.ts";

/** Which items an edition takes; at least one of the four is set. */
export interface DigestSelection {
  /** Items with at least one of these tags. */
  tags?: string[];
  kinds?: ("article" | "event")[];
  /** Exactly these items, in this order. */
  slugs?: string[];
  /** Only items added to the collection after the digest's last edition opened. */
  newSinceLastEdition?: boolean;
}

export interface Digest {
  id: string;
  title: string;
  /** One or two sentences for readers choosing digests (subscribe form, preferences, /digests). */
  description?: string;
  /** Subject and preheader templates: text with `{lead}` and `{date}` placeholders. */
  subject: string;
  preheader: string;
  theme: ThemeName;
  /** Cron expression in UTC. */
  schedule: string;
  select: DigestSelection;
  /** Short introduction; blank lines separate paragraphs. */
  intro: string;
  sendWhenEmpty: boolean;
}
