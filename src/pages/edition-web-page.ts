/**
 * The web version of an edition ("在浏览器中查看"): the email as the reader got it, inside
 * the site's own page, so a shared link has the site's navigation, the way to the previous
 * and next edition, a share card and a subscribe form. The email's body and its
 * <style> (dark mode, narrow screens) are carried over whole; its inline styles keep
 * the theme.
 */
import { html, raw } from "hono/html";
import type { Digest } from "../digests/catalog.ts";
import type { Edition } from "../digests/editions-store.ts";
import { editionDate, NEXT_EDITION_ID } from "../digests/next-edition.ts";
import { formatChineseDate } from "../text/beijing-time.ts";
import { spaceCjkLatin } from "../text/cjk-spacing.ts";
import { editionPath } from "./digest-pages.ts";
import { layout, type Html } from "./layout.ts";
import { digestCardPath, editionCardPath, sharePage } from "./share.ts";
import { subscribeForm } from "./subscribe-form.ts";

/** A neighbouring edition, as a link. */
interface EditionLink {
  href: string;
  label: string;
}

export interface EditionWebView {
  digest: Digest;
  /** The edition shown: a sent one's id, or NEXT_EDITION_ID for the upcoming one. */
  editionId: string;
  /** The digest's sent editions, newest first: where the previous and next ones come from. */
  editions: readonly Edition[];
  /** The edition's name as a page title, e.g. its subject. */
  title: string;
  description: string;
  /** Slug of the lead item, whose card the edition shares; none for an edition without items. */
  leadSlug: string | undefined;
  siteUrl: string;
}

const editionLink = (edition: Edition): EditionLink => ({
  href: editionPath(edition.digestId, edition.id),
  label: spaceCjkLatin(formatChineseDate(editionDate(edition))),
});

/** The editions either side of this one; the upcoming edition comes after the newest sent one. */
function neighbours(view: EditionWebView): { previous: EditionLink | null; next: EditionLink | null } {
  const { editions, editionId } = view;
  if (editionId === NEXT_EDITION_ID) return { previous: editions[0] ? editionLink(editions[0]) : null, next: null };
  const at = editions.findIndex((edition) => edition.id === editionId);
  const newer = at > 0 ? editions[at - 1] : undefined;
  const older = at >= 0 ? editions[at + 1] : undefined;
  return { previous: older ? editionLink(older) : null, next: newer ? editionLink(newer) : null };
}

const STYLE_BLOCKS = /<style[^>]*>[\s\S]*?<\/style>/gi;
const BODY = /<body[^>]*>([\s\S]*)<\/body>/i;

/** The email's <style> blocks and the inside of its <body>. */
function emailParts(emailHtml: string): { styles: string; body: string } {
  const head = emailHtml.slice(0, emailHtml.search(/<body/i));
  return { styles: (head.match(STYLE_BLOCKS) ?? []).join("\n"), body: BODY.exec(emailHtml)?.[1] ?? emailHtml };
}

const EDITION_STYLE = `
nav.editions{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;margin:1rem 0;font-size:.95rem}
nav.editions a{display:inline-flex;align-items:center;min-height:44px}
nav.editions .none{color:var(--muted);display:inline-flex;align-items:center;min-height:44px}
.edition-email{margin:0 -1rem;overflow-x:auto}
@media print{nav.editions{display:none}.edition-email{margin:0}}
`;

function editionNav(digestId: string, { previous, next }: ReturnType<typeof neighbours>): Html {
  return html`<nav class="editions" aria-label="往期导航">
  ${previous ? html`<a href="${previous.href}" rel="prev">← 上一期（${previous.label}）</a>` : html`<span class="none">已是最早一期</span>`}
  <a href="/digests/${encodeURIComponent(digestId)}">全部往期</a>
  ${next ? html`<a href="${next.href}" rel="next">下一期（${next.label}）→</a>` : html`<span class="none">已是最新一期</span>`}
</nav>`;
}

export function editionWebPage(emailHtml: string, view: EditionWebView): Html {
  const { styles, body } = emailParts(emailHtml);
  const path = editionPath(view.digest.id, view.editionId);
  const nav = editionNav(view.digest.id, neighbours(view));
  const card = view.leadSlug ? editionCardPath(view.digest.id, view.leadSlug) : digestCardPath(view.digest.id);
  return layout(
    {
      title: view.title,
      description: view.description,
      canonical: `${view.siteUrl}${path}`,
      share: sharePage(view.siteUrl, path, card, view.title),
    },
    html`<style>${raw(EDITION_STYLE)}</style>
${raw(styles)}
${nav}
<div class="edition-email">${raw(body)}</div>
${nav}
${subscribeForm(undefined, { email: "", digests: [view.digest.id] })}`,
  );
}
