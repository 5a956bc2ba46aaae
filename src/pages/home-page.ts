/** GET /: every item, newest first, with the subscribe form and the feeds. */
import { html } from "hono/html";
import type { ContentItem } from "../content/collection.ts";
import { publication } from "../feeds/publication.ts";
import { itemList } from "./item-list.ts";
import { feedAlternates, layout, type Html } from "./layout.ts";
import { subscribeForm } from "./subscribe-form.ts";

export const homePage = (items: readonly ContentItem[], siteUrl: string): Html =>
  layout(
    { canonical: `${siteUrl}/`, alternates: feedAlternates(siteUrl) },
    html`<h1>${publication.title}</h1>
<p>${publication.description}</p>
${subscribeForm()}
<p><a href="/digests">往期邮件摘要 →</a></p>
${items.length > 0 ? itemList(items) : html`<p>还没有文章。</p>`}`,
  );
