/** A subscriber's personal links, as carried by every email they receive. */
import type { RecipientLinks } from "../digests/digest-view.ts";
import { signToken, type TokenClaims } from "./tokens.ts";

const CONFIRM_TTL_SECONDS = 48 * 60 * 60;

async function link(siteUrl: string, path: string, secret: string, claims: TokenClaims) {
  const token = await signToken(secret, claims);
  const { digestId } = claims;
  // The digest is named in the URL for people and logs; the signed token is what counts.
  const digest = digestId ? `digest=${encodeURIComponent(digestId)}&` : "";
  return `${siteUrl}${path}?${digest}token=${token}`;
}

/**
 * A recipient's links. With `digestId` (every digest email) the unsubscribe link leaves
 * that digest only; without it (pages, the goodbye email) it leaves every digest.
 */
export async function recipientLinks(siteUrl: string, secret: string, subscriberId: number, digestId?: string): Promise<RecipientLinks> {
  const [unsubscribeUrl, preferencesUrl] = await Promise.all([
    link(siteUrl, "/unsubscribe", secret, { subscriberId, purpose: "unsubscribe", ...(digestId ? { digestId } : {}) }),
    link(siteUrl, "/preferences", secret, { subscriberId, purpose: "preferences" }),
  ]);
  return { unsubscribeUrl, preferencesUrl };
}

/**
 * The double opt-in link for the subscriber's current confirmation generation (the request
 * it answers); expires after 48 hours.
 */
export function confirmationLink(
  siteUrl: string,
  secret: string,
  subscriber: { id: number; confirmGeneration: number },
  now: Date,
): Promise<string> {
  const expiresAt = Math.floor(now.getTime() / 1000) + CONFIRM_TTL_SECONDS;
  return link(siteUrl, "/confirm", secret, { subscriberId: subscriber.id, purpose: "confirm", expiresAt, generation: subscriber.confirmGeneration });
}
