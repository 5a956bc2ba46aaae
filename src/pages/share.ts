/**
 * How a page looks when its link is shared (WeChat, Weibo, X, Slack…): Open Graph and
 * Twitter tags, and the 1200×630 share card each page points at. The cards are PNGs made
 * at build time (scripts/share-cards/) and served as static assets, so their paths are
 * spelled here once for both the pages and the build.
 */
import { html } from "hono/html";
import { publication, siteCardPath } from "../feeds/publication.ts";
import type { HtmlEscapedString } from "hono/utils/html";

const CARDS = "/cards";

/** The site's own card (home, tags, lists), also the feeds' logo: spelled in publication.ts. */
export { siteCardPath };
export const articleCardPath = (slug: string) => `${CARDS}/articles/${encodeURIComponent(slug)}.png`;
/** A digest's card, for its archive page and an edition with no lead item. */
export const digestCardPath = (digestId: string) => `${CARDS}/digests/${encodeURIComponent(digestId)}.png`;
/** An edition's card: the digest's name with the edition's lead item. */
export const editionCardPath = (digestId: string, leadSlug: string) =>
  `${CARDS}/digests/${encodeURIComponent(digestId)}/${encodeURIComponent(leadSlug)}.png`;

export interface ShareFacts {
  /** Absolute canonical URL of the page. */
  url: string;
  /** Absolute URL of its share card. */
  image: string;
  /** Alt text of the card: what it says. */
  imageAlt: string;
  type: "website" | "article";
  /** ISO time, for articles. */
  published?: string;
  modified?: string;
}

/** The Open Graph and Twitter tags of a page; the title and description are the page's own. */
export function shareTags(title: string, description: string, share: ShareFacts | undefined): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<meta property="og:site_name" content="${publication.title}" />
<meta property="og:locale" content="zh_CN" />
<meta property="og:title" content="${title}" />
<meta property="og:description" content="${description}" />
<meta name="twitter:card" content="${share ? "summary_large_image" : "summary"}" />
${
  share
    ? html`<meta property="og:type" content="${share.type}" />
<meta property="og:url" content="${share.url}" />
<meta property="og:image" content="${share.image}" />
<meta property="og:image:type" content="image/png" />
<meta property="og:image:width" content="1200" />
<meta property="og:image:height" content="630" />
<meta property="og:image:alt" content="${share.imageAlt}" />
${share.published ? html`<meta property="article:published_time" content="${share.published}" />\n` : ""}${
        share.modified ? html`<meta property="article:modified_time" content="${share.modified}" />\n` : ""
      }`
    : html`<meta property="og:type" content="website" />`
}`;
}

/** Share facts of a public page at `path`, with the card at `cardPath` (both made absolute on `siteUrl`). */
export const sharePage = (
  siteUrl: string,
  path: string,
  cardPath: string,
  imageAlt: string,
  article?: { published: string; modified?: string },
): ShareFacts => ({
  url: `${siteUrl}${path}`,
  image: `${siteUrl}${cardPath}`,
  imageAlt,
  type: article ? "article" : "website",
  ...article,
});
