/**
 * Shared page chrome: zh-CN document, phone-friendly viewport, small inline stylesheet with a
 * CJK font stack, feed autodiscovery, site header (home, digests, subscribe, RSS) and footer
 * (every feed).
 * Every page of the site renders through `layout`.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { feedFormats, feedLabels, feedMediaTypes, feedPath, publication } from "../feeds/publication.ts";
import { shareTags, type ShareFacts } from "./share.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A `<link rel="alternate">` feed for autodiscovery. */
export interface FeedAlternate {
  title: string;
  type: string;
  href: string;
}

export interface PageHead {
  /** The home page: the site name in the header is its heading, so the page does not repeat it. */
  home?: boolean;
  /** The page's own title; the site name is appended. */
  title?: string;
  description?: string;
  /** Absolute URL of this page, when known. */
  canonical?: string;
  /** Feeds announced to browsers and readers; the site's three feeds by default. */
  alternates?: FeedAlternate[];
  /** What a shared link shows (canonical URL, card); pages with no public URL of their own have none. */
  share?: ShareFacts;
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

/*
 * One stylesheet for every page. Tap targets (fields, buttons, checkbox rows) are at least
 * 44 px tall; colours come from custom properties with a dark palette, each pair chosen
 * for contrast of at least 4.5:1; long Latin runs (URLs, addresses) may break anywhere,
 * dates and times never.
 */
const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1d1f;--muted:#595959;--line:#d9d9d9;--surface:#f5f6f8;--accent:#0b5cad;--on-accent:#fff;--danger:#b42318;--ok:#1a7f37}
@media (prefers-color-scheme:dark){:root{--bg:#121316;--fg:#e6e6e6;--muted:#a6a6a6;--line:#3a3d42;--surface:#1c1e22;--accent:#7db4ff;--on-accent:#0b1a2e;--danger:#ff8a80;--ok:#7ee2a0}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:44rem;padding:0 1rem 3rem;font:17px/1.8 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;overflow-wrap:anywhere;-webkit-text-size-adjust:100%}
a{color:var(--accent)}
time,.nowrap{white-space:nowrap}
header.site{display:flex;align-items:center;gap:1rem;padding:.25rem 0;border-bottom:1px solid var(--line);white-space:nowrap}
header.site .name{font-weight:700;font-size:1.1rem;margin:0 auto 0 0;line-height:1.4}
header.site a{display:inline-flex;align-items:center;min-height:44px;text-decoration:none}
header.site .name a{color:inherit}
header.site nav{display:flex;gap:1rem;font-size:.95rem}
footer.site{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:1rem 0;border-top:1px solid var(--line);margin-top:3rem;color:var(--muted);font-size:.9rem}
h1{font-size:1.55rem;line-height:1.4;margin:1.5rem 0 .5rem}
h2{font-size:1.25rem;line-height:1.45;margin:2rem 0 .5rem}
.lede{color:var(--muted);margin:1rem 0}
.meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}
ul.items{list-style:none;padding:0;margin:0}ul.items>li{padding:1rem 0;border-bottom:1px solid var(--line)}ul.items>li:last-child{border-bottom:0}
ul.items h2{margin:0 0 .25rem;font-size:1.15rem}
ul.tags,ul.links{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem;margin:.5rem 0}
ul.links{font-size:1rem}
ul.links a{display:inline-flex;align-items:center;min-height:44px}
figure{margin:1.5rem 0;padding:.75rem 1rem;border-left:3px solid var(--line);color:var(--muted);font-size:.9rem}
figure figcaption::before{content:"［图］"}
.box,.event,.rights{padding:.75rem 1rem;border:1px solid var(--line);border-radius:8px;background:var(--surface);font-size:.95rem}
.rights{margin-top:2rem;color:var(--muted)}
.event p,.box p{margin:.35rem 0}
form.subscribe{margin:1.5rem 0;padding:1rem;border:1px solid var(--line);border-radius:8px;background:var(--surface)}
form.subscribe h2{margin:0 0 .25rem}
fieldset{border:0;padding:0;margin:.75rem 0;min-width:0}
legend{font-weight:600;padding:0;margin-bottom:.25rem}
label.choice{display:flex;gap:.75rem;align-items:flex-start;min-height:44px;padding:.6rem .75rem;margin:.4rem 0;border:1px solid var(--line);border-radius:8px;background:var(--bg);cursor:pointer;line-height:1.6}
label.choice:has(input:checked){border-color:var(--accent)}
label.choice input{flex:none;width:1.25rem;height:1.25rem;margin:.2rem 0 0;accent-color:var(--accent)}
label.choice strong{display:block}
label.choice .schedule{display:block;color:var(--accent);font-size:.9rem}
label.choice .description{display:block;color:var(--muted);font-size:.9rem}
label.field{display:block;font-weight:600;margin:.75rem 0 .25rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem}
input[type=email]{flex:1 1 12rem;min-width:0;min-height:44px;font:inherit;padding:.4rem .75rem;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:6px}
button{font:inherit;min-height:44px;padding:.4rem 1.25rem;border-radius:6px;cursor:pointer}
button.primary{background:var(--accent);color:var(--on-accent);border:1px solid var(--accent);font-weight:600}
button.danger{background:transparent;color:var(--danger);border:1px solid var(--danger)}
.danger-zone{margin-top:2.5rem;padding-top:1rem;border-top:1px solid var(--line)}
.notice{padding:.6rem .9rem;border-radius:6px;border:1px solid currentColor}
.notice.saved{color:var(--ok)}.notice.error{color:var(--danger)}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#333;--line:#999;--surface:#fff;--accent:#000}
body{max-width:none;padding:0;font-size:11pt;line-height:1.7}
header.site nav,footer.site,form.subscribe,.no-print{display:none}
header.site{border-bottom:1px solid #999}
article a[href^="http"]::after{content:"（" attr(href) "）";font-size:.85em;color:#333;overflow-wrap:anywhere}
h1,h2,h3{break-after:avoid}
blockquote,figure,.event,.box{break-inside:avoid}
}
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
<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
<link rel="icon" href="/favicon-32.png" type="image/png" sizes="32x32" />
<link rel="apple-touch-icon" href="/apple-touch-icon.png" />
${shareTags(head.title ?? publication.title, head.description ?? publication.description, head.share)}
${alternates.map((feed) => html`<link rel="alternate" type="${feed.type}" title="${feed.title}" href="${feed.href}" />\n`)}
<style>${raw(STYLE)}</style>
</head>
<body>
<header class="site">
  ${head.home ? html`<h1 class="name"><a href="/">${publication.title}</a></h1>` : html`<p class="name"><a href="/">${publication.title}</a></p>`}
  <nav><a href="/digests">邮件摘要</a><a href="/#subscribe">订阅</a><a href="${feedPath("rss")}">RSS</a></nav>
</header>
<main>
${content}
</main>
<footer class="site">
  <span>${publication.title} · 全文订阅：</span>
  ${feedFormats.map((format) => html`<a href="${feedPath(format)}">${feedLabels[format]}</a>`)}
</footer>
</body>
</html>`;
}
