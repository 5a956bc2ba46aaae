/** A subscriber's personal links, as carried by every email they receive. */
import type { RecipientLinks } from "../digests/digest-view.ts";
import { signToken, type TokenPurpose } from "./tokens.ts";

const CONFIRM_TTL_SECONDS = 48 * 60 * 60;

async function link(
  siteUrl: string,
  path: string,
  secret: string,
  subscriberId: number,
  purpose: TokenPurpose,
  now: Date,
  digestId?: string,
) {
  const expiresAt = purpose === "confirm" ? Math.floor(now.getTime() / 1000) + CONFIRM_TTL_SECONDS : undefined;
  const token = await signToken(secret, { subscriberId, purpose, ...(expiresAt ? { expiresAt } : {}), ...(digestId ? { digestId } : {}) });
  // The digest is named in the URL for people and logs; the signed token is what counts.
  const digest = digestId ? `digest=${encodeURIComponent(digestId)}&` : "";
  return `${siteUrl}${path}?${digest}token=${token}`;
}

/**
 * A recipient's links. With `digestId` (every digest email) the unsubscribe link leaves
 * that digest only; without it (pages, the goodbye email) it leaves every digest.
 */
export async function recipientLinks(siteUrl: string, secret: string, subscriberId: number, digestId?: string): Promise<RecipientLinks> {
  const now = new Date();
  const [unsubscribeUrl, preferencesUrl] = await Promise.all([
    link(siteUrl, "/unsubscribe", secret, subscriberId, "unsubscribe", now, digestId),
    link(siteUrl, "/preferences", secret, subscriberId, "preferences", now),
  ]);
  return { unsubscribeUrl, preferencesUrl };
}

/** The double opt-in link; expires after 48 hours. */
export function confirmationLink(siteUrl: string, secret: string, subscriberId: number, now = new Date()): Promise<string> {
  return link(siteUrl, "/confirm", secret, subscriberId, "confirm", now);
}
