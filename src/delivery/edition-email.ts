/**
 * The email each recipient of an edition gets: the edition rendered once per isolate
 * and set of items (React Email is the expensive part), then personalised per recipient
 * with their own links and the one-click unsubscribe headers (RFC 8058).
 */
import type { Digest } from "../digests/catalog.ts";
import type { SiteRef } from "../digests/digest-view.ts";
import { personalize, renderDigest, templateVariables, type RenderedDigest } from "../digests/render-digest.ts";
import type { Edition } from "../digests/editions-store.ts";
import { editionDate, editionItems } from "../digests/next-edition.ts";
import type { RecipientLinks } from "../digests/digest-view.ts";
import { variantKey } from "../digests/repeats.ts";
import { listIdHeader } from "./list-headers.ts";
import { log } from "../log.ts";
import type { OutgoingEmail, TemplatedEmail } from "../email/outgoing-email.ts";

/**
 * Variants rendered in this isolate, by edition and items. Editions go out one after
 * another, each in a few variants (one per set of items its readers had not had yet).
 */
const rendered = new Map<string, Promise<RenderedDigest>>();
const RENDER_CACHE_SIZE = 32;

/**
 * The edition, or its variant carrying only `itemSlugs`, rendered once per isolate.
 * Events in it are told as of the moment the edition opened (its send time), so every
 * copy, in every isolate and on every retry, says the same thing. Each render is
 * logged (`render`), so renders per edition can be counted.
 */
export function renderEdition(
  edition: Edition,
  digest: Digest,
  site: SiteRef,
  itemSlugs: readonly string[] = edition.itemSlugs,
): Promise<RenderedDigest> {
  const key = `${edition.id}\n${variantKey(itemSlugs)}`;
  let render = rendered.get(key);
  if (!render) {
    const sentAt = new Date(edition.createdAt);
    const all = editionItems(edition);
    const items = all.filter((item) => itemSlugs.includes(item.slug));
    const alreadySent = all.length - items.length;
    log.info("render", { edition: edition.id, items: items.length, alreadySent });
    render = renderDigest(digest, items, { id: edition.id, date: editionDate(edition) }, site, sentAt, { alreadySent });
    // A failed render is not cached: the queue retry renders again.
    render.catch(() => rendered.delete(key));
    rendered.set(key, render);
    if (rendered.size > RENDER_CACHE_SIZE) rendered.delete(rendered.keys().next().value ?? "");
  }
  return render;
}

export interface RecipientRefs {
  digest: Pick<Digest, "id" | "title">;
  editionId: string;
  from: string;
  /** REPLY_TO, or null for no Reply-To. */
  replyTo: string | null;
  /** The site the links point to: its host names the list (List-Id). */
  siteUrl: string;
  to: string;
}

/** What every copy of a recipient's email carries besides its content. */
function envelope(edition: RenderedDigest, refs: RecipientRefs, links: RecipientLinks): Omit<OutgoingEmail, "html" | "text"> {
  return {
    from: refs.from,
    to: refs.to,
    ...(refs.replyTo ? { replyTo: refs.replyTo } : {}),
    subject: edition.subject,
    headers: {
      "List-Id": listIdHeader(refs.digest, refs.siteUrl),
      "List-Unsubscribe": `<${links.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    tags: [
      { name: "digest", value: refs.digest.id },
      { name: "edition", value: refs.editionId },
    ],
  };
}

/**
 * One recipient's copy: their links in the body and in List-Unsubscribe (which leaves
 * this digest only), List-Id naming the digest, tagged with digest and edition.
 */
export function recipientEmail(edition: RenderedDigest, refs: RecipientRefs, links: RecipientLinks): OutgoingEmail {
  return { ...envelope(edition, refs, links), ...personalize(edition, links) };
}

/** The same copy when the provider holds the edition as template `templateId`: only the links travel. */
export function recipientTemplatedEmail(edition: RenderedDigest, refs: RecipientRefs, links: RecipientLinks, templateId: string): TemplatedEmail {
  return { ...envelope(edition, refs, links), template: { id: templateId, variables: templateVariables(links) } };
}
