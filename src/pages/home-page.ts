/** GET /: every item, newest first, with the subscribe form and the feeds. */
import { html } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { publication } from "../feeds/publication.ts";
import { itemList } from "./item-list.ts";
import { feedAlternates, layout, type Html } from "./layout.ts";
import { sharePage, siteCardPath } from "./share.ts";
import { subscribeForm } from "./subscribe-form.ts";

export const homePage = (items: readonly ContentItem[], siteUrl: string): Html =>
  layout(
    {
      home: true,
      canonical: `${siteUrl}/`,
      alternates: feedAlternates(siteUrl),
      share: sharePage(siteUrl, "/", siteCardPath, publication.title),
    },
    html`<p class="lede">${publication.description}</p>
${subscribeForm()}
<h2>最新文章</h2>
${items.length > 0 ? itemList(items) : html`<p>还没有文章。</p>`}`,
  );
