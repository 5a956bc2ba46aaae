/**
 * HTML pages: home, articles and tags. Each page is rendered once per isolate and site URL
 * and then served from memory with its ETag and Last-Modified.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { hasTag, getItem, items, itemsWithTag } from "../content/collection.ts";
import { lastChange, newestChange } from "../feeds/dates.ts";
import { articlePath, tagPath } from "../feeds/publication.ts";
import { prepareRepresentation, RepresentationCache, type Representation } from "../http/conditional.ts";
import { respondAndRemember } from "../http/prepared-responses.ts";
import { PAGE_SECURITY_HEADERS } from "../http/security-headers.ts";
import { representationKey, siteUrlOf } from "../http/site-url.ts";
import { articlePage } from "../pages/article-page.ts";
import { homePage } from "../pages/home-page.ts";
import type { Html } from "../pages/layout.ts";
import { notFoundResponse } from "../pages/not-found-page.ts";
import { tagPage } from "../pages/tag-page.ts";

export const site = new Hono<AppEnv>();

const cache = new RepresentationCache<Representation>();

async function preparePage(page: Html, lastModified: string): Promise<Representation> {
  // Served later in front of the router (no middleware): the page's security headers travel with it.
  return prepareRepresentation(String(await page), "text/html; charset=utf-8", new Date(lastModified), PAGE_SECURITY_HEADERS);
}

site.get("/", async (c) => {
  const siteUrl = siteUrlOf(c);
  const page = await cache.get(representationKey(siteUrl, "/"), () =>
    preparePage(homePage(items, siteUrl), newestChange(items)),
  );
  return respondAndRemember(c.req.raw, c.env, page);
});

site.get("/articles/:slug", async (c) => {
  const slug = c.req.param("slug");
  const item = getItem(slug);
  if (!item) return notFoundResponse(`没有地址为「${slug}」的文章。`);
  const siteUrl = siteUrlOf(c);
  const page = await cache.get(representationKey(siteUrl, articlePath(slug)), () =>
    preparePage(articlePage(item, siteUrl), lastChange(item)),
  );
  return respondAndRemember(c.req.raw, c.env, page);
});

site.get("/tags/:tag", async (c) => {
  const tag = c.req.param("tag");
  if (!hasTag(tag)) return notFoundResponse(`没有标签为「${tag}」的文章。`);
  const siteUrl = siteUrlOf(c);
  const tagged = itemsWithTag(tag);
  const page = await cache.get(representationKey(siteUrl, tagPath(tag)), () =>
    preparePage(tagPage(tag, tagged, siteUrl), newestChange(tagged)),
  );
  return respondAndRemember(c.req.raw, c.env, page);
});
