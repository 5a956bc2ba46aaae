/**
 * Shared page chrome: zh-CN document, phone-friendly viewport, small inline stylesheet with a
 * CJK font stack, feed autodiscovery, site header (home, digests, feeds) and footer.
 * Every page of the site renders through `layout`.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { feedFormats, feedLabels, feedMediaTypes, feedPath, publication } from "../feeds/publication.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A `<link rel="alternate">` feed for autodiscovery. */
export interface FeedAlternate {
  title: string;
  type: string;
  href: string;
}

export interface PageHead {
  /** The page's own title; the site name is appended. */
  title?: string;
  description?: string;
  /** Absolute URL of this page, when known. */
  canonical?: string;
  /** Feeds announced to browsers and readers; the site's three feeds by default. */
  alternates?: FeedAlternate[];
}

/** The three feeds of the site (or of one tag), absolute when a site URL is given. */
export function feedAlternates(siteUrl = "", tag?: string): FeedAlternate[] {
  const label = tag === undefined ? publication.title : `${publication.title} · ${tag}`;
  return feedFormats.map((format) => ({
    title: `${label}（${feedLabels[format]}）`,
    type: feedMediaTypes[format],
    href: `${siteUrl}${feedPath(format, tag)}`,
  }));
}

const STYLE = `
:root{color-scheme:light dark;--muted:#6b6b6b;--line:#ddd;--accent:#0b5cad}
@media (prefers-color-scheme:dark){:root{--muted:#a3a3a3;--line:#444;--accent:#7db4ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:44rem;padding:0 1rem 3rem;font:17px/1.8 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;overflow-wrap:anywhere;-webkit-text-size-adjust:100%}
a{color:var(--accent)}
header.site,footer.site{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:baseline;padding:1rem 0;border-bottom:1px solid var(--line);font-size:.9rem}
footer.site{border-bottom:0;border-top:1px solid var(--line);margin-top:3rem;color:var(--muted)}
header.site .name{font-weight:700;font-size:1.1rem;margin-right:auto;text-decoration:none;color:inherit}
h1{font-size:1.55rem;line-height:1.4;margin:1.5rem 0 .5rem}
h2{font-size:1.25rem;line-height:1.45;margin:2rem 0 .5rem}
.meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}
ul.items{list-style:none;padding:0}ul.items>li{padding:1rem 0;border-bottom:1px solid var(--line)}
ul.items h2{margin:0 0 .25rem;font-size:1.15rem}
ul.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.9rem;margin:.5rem 0}
figure{margin:1.5rem 0;padding:.75rem 1rem;border-left:3px solid var(--line);color:var(--muted);font-size:.9rem}
figure figcaption::before{content:"［图］"}
.event,.rights{padding:.75rem 1rem;border:1px solid var(--line);border-radius:6px;font-size:.95rem}
.rights{margin-top:2rem;color:var(--muted)}
form.subscribe{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1.5rem 0;padding:1rem;border:1px solid var(--line);border-radius:6px}
form.subscribe label{flex-basis:100%;font-weight:600}
form.subscribe input{flex:1 1 12rem;font:inherit;padding:.4rem .6rem}
form.subscribe button{font:inherit;padding:.4rem 1rem}
`;

export function layout(head: PageHead, content: Html): Html {
  const title = head.title ? `${head.title} · ${publication.title}` : publication.title;
  const alternates = head.alternates ?? feedAlternates();
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${title}</title>
<meta name="description" content="${head.description ?? publication.description}" />
${head.canonical ? html`<link rel="canonical" href="${head.canonical}" />` : ""}
${alternates.map((feed) => html`<link rel="alternate" type="${feed.type}" title="${feed.title}" href="${feed.href}" />\n`)}
<style>${raw(STYLE)}</style>
</head>
<body>
<header class="site">
  <a class="name" href="/">${publication.title}</a>
  <a href="/digests">往期摘要</a>
  ${feedFormats.map((format) => html`<a href="${feedPath(format)}">${feedLabels[format]}</a> `)}
</header>
<main>
${content}
</main>
<footer class="site">
  <span>${publication.title} · 全文订阅：</span>
  ${feedFormats.map((format) => html`<a href="${feedPath(format)}">${feedLabels[format]}</a> `)}
</footer>
</body>
</html>`;
}
