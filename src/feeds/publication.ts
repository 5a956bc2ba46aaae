/**
 * What the site is called and where things live on it: shared by the feeds and the pages
 * so every link to an article, a tag or a feed is spelled in exactly one place.
 */
export const publication = {
  title: "AI 前沿精选",
  description: "精选的中文人工智能深度文章与活动：全文阅读，支持 RSS、Atom、JSON Feed 与邮件订阅。",
  language: "zh-CN",
} as const;

export type FeedFormat = "rss" | "atom" | "json";

export const feedFormats: readonly FeedFormat[] = ["rss", "atom", "json"];

export const feedFiles: Record<FeedFormat, string> = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" };

export const feedMediaTypes: Record<FeedFormat, string> = {
  rss: "application/rss+xml",
  atom: "application/atom+xml",
  json: "application/feed+json",
};

export const feedLabels: Record<FeedFormat, string> = { rss: "RSS", atom: "Atom", json: "JSON Feed" };

/** The site's share card (1200×630): also the feeds' wide logo. Drawn at build time (scripts/share-cards/). */
export const siteCardPath = "/cards/site.png";

/** Square icons the build draws (scripts/share-cards/) for feed readers: JSON Feed's icon and favicon, RSS's image. */
export const feedIcons = {
  square64: "/icon-64.png",
  square144: "/icon-144.png",
  square512: "/icon-512.png",
  wide: siteCardPath,
} as const;

export const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`;

/** An event item's calendar (RFC 5545), for "添加到日历". */
export const eventCalendarPath = (slug: string) => `${articlePath(slug)}/event.ics`;

export const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}`;

/** The site's feeds live at the root, a tag's feeds under its tag page. */
export const feedPath = (format: FeedFormat, tag?: string) =>
  `${tag === undefined ? "" : tagPath(tag)}/${feedFiles[format]}`;
