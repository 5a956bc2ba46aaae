/**
 * HTML pages: home, articles and tags. Each page is rendered once per isolate and site URL
 * and then served from memory with its ETag and Last-Modified.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { hasTag, getItem, items, itemsWithTag, type ContentItem } from "../content/collection.ts";
import { eventPhase, lastPresentationChange, registrationOpen } from "../content/event-time.ts";
import type { EventFacts } from "../content/schema.ts";
import { lastChange, newestChange } from "../feeds/dates.ts";
import { eventCalendar } from "../feeds/event-calendar.ts";
import { articlePath, eventCalendarPath, tagPath } from "../feeds/publication.ts";
import { prepareRepresentation, RepresentationCache, respondWith, type Representation } from "../http/conditional.ts";
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
  if (item.event) return eventPage(c.req.raw, item, item.event, siteUrl);
  const page = await cache.get(representationKey(siteUrl, articlePath(slug)), () =>
    preparePage(articlePage(item, siteUrl, new Date()), lastChange(item)),
  );
  return respondAndRemember(c.req.raw, c.env, page);
});

/**
 * An event's page changes when the event starts, ends or closes registration: it is kept
 * per state (never as the URL's one prepared response) and its Last-Modified moves with
 * the state, so a cache revalidating after the event ended gets the recap, not a 304.
 */
async function eventPage(request: Request, item: ContentItem, event: EventFacts, siteUrl: string): Promise<Response> {
  const now = new Date();
  const state = `${eventPhase(event, now)}/${registrationOpen(event, now) ? "open" : "closed"}`;
  const changed = Math.max(Date.parse(lastChange(item)), lastPresentationChange(event, now) ?? 0);
  const page = await cache.get(`${representationKey(siteUrl, articlePath(item.slug))} ${state}`, () =>
    preparePage(articlePage(item, siteUrl, now), new Date(changed).toISOString()),
  );
  return respondWith(request, page);
}

/** RFC 5545 calendar of an event item, past or upcoming ("添加到日历"). */
site.get("/articles/:slug/event.ics", async (c) => {
  const slug = c.req.param("slug");
  const item = getItem(slug);
  if (!item?.event) return notFoundResponse(item ? `「${item.title}」不是活动，没有日历文件。` : `没有地址为「${slug}」的文章。`);
  const { event } = item;
  const siteUrl = siteUrlOf(c);
  const calendar = await cache.get(representationKey(siteUrl, eventCalendarPath(slug)), () =>
    prepareRepresentation(eventCalendar(item, event, siteUrl), "text/calendar; charset=utf-8", new Date(item.updated ?? item.added)),
  );
  return respondAndRemember(c.req.raw, c.env, calendar);
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
