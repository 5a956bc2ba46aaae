/**
 * The email each recipient of an edition gets: the edition rendered once per isolate
 * (React Email is the expensive part), then personalised per recipient with their own
 * links and the one-click unsubscribe headers (RFC 8058).
 */
import type { Digest } from "../digests/catalog.ts";
import type { SiteRef } from "../digests/digest-view.ts";
import { personalize, renderDigest, type RenderedDigest } from "../digests/render-digest.ts";
import type { Edition } from "../digests/editions-store.ts";
import { editionDate, editionItems } from "../digests/next-edition.ts";
import type { RecipientLinks } from "../digests/digest-view.ts";
import { listIdHeader } from "./list-headers.ts";
import type { OutgoingEmail } from "../email/outgoing-email.ts";

/** Editions rendered in this isolate, by edition id. A handful is plenty: editions go out one after another. */
const rendered = new Map<string, Promise<RenderedDigest>>();
const RENDER_CACHE_SIZE = 8;

/**
 * The edition rendered once per isolate. Events in it are told as of the moment the
 * edition opened (its send time), so every copy, in every isolate and on every retry,
 * says the same thing.
 */
export function renderEdition(edition: Edition, digest: Digest, site: SiteRef): Promise<RenderedDigest> {
  let render = rendered.get(edition.id);
  if (!render) {
    const sentAt = new Date(edition.createdAt);
    render = renderDigest(digest, editionItems(edition), { id: edition.id, date: editionDate(edition) }, site, sentAt);
    // A failed render is not cached: the queue retry renders again.
    render.catch(() => rendered.delete(edition.id));
    rendered.set(edition.id, render);
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

/**
 * One recipient's copy: their links in the body and in List-Unsubscribe (which leaves
 * this digest only), List-Id naming the digest, tagged with digest and edition.
 */
export function recipientEmail(edition: RenderedDigest, refs: RecipientRefs, links: RecipientLinks): OutgoingEmail {
  const { html, text } = personalize(edition, links);
  return {
    from: refs.from,
    to: refs.to,
    ...(refs.replyTo ? { replyTo: refs.replyTo } : {}),
    subject: edition.subject,
    html,
    text,
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
