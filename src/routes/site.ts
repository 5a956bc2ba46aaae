/**
 * HTML pages: home, articles and tags. Each page is rendered once per isolate and site URL
 * and then served from the representation store with its ETag and Last-Modified.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { factory, type AppEnv } from "../http/app-env.ts";
import { getDigest } from "../digests/catalog.ts";
import { hasTag, getItem, items, itemsWithTag, type ContentItem } from "../content/collection.ts";
import { eventPhase, lastPresentationChange, registrationOpen } from "../content/event-time.ts";
import type { EventFacts } from "../content/item.ts";
import { lastModified, newestChange } from "../feeds/dates.ts";
import { eventCalendar } from "../feeds/event-calendar.ts";
import { prepareRepresentation, respondWith, type Representation } from "../http/conditional.ts";
import { representations, storeKey } from "../http/representation-store.ts";
import { PAGE_SECURITY_HEADERS } from "../http/security-headers.ts";
import { articlePage } from "../pages/article-page.ts";
import { homePage } from "../pages/home-page.ts";
import type { Html } from "../pages/layout.ts";
import { notFoundResponse, typed } from "../pages/not-found-page.ts";
import { tagPage } from "../pages/tag-page.ts";

export const site = factory.createApp();

/** A stored page carries its security headers, so a store hit needs no middleware after servePrepared. */
async function preparePage(page: Html, lastModified: string): Promise<Representation> {
  return prepareRepresentation(String(await page), "text/html; charset=utf-8", new Date(lastModified), PAGE_SECURITY_HEADERS);
}

/** The request's representation from the store, built by `build` the first time. */
async function respondPrepared(c: Context<AppEnv>, build: () => Promise<Representation>): Promise<Response> {
  return respondWith(c.req.raw, await representations.get(storeKey(c.env, c.req.url), build));
}

/**
 * `?digest=<id>` (the subscribe link of a forwarded email) checks that digest in the form;
 * each known digest's page is stored under its own key, anything else gets the plain page.
 */
site.get("/", async (c) => {
  const { siteUrl } = c.var.config;
  const checked = getDigest(c.req.query("digest") ?? "");
  if (!checked) return respondPrepared(c, () => preparePage(homePage(items, siteUrl), newestChange(items)));
  const page = await representations.get(`${storeKey(c.env, c.req.url)} digest=${checked.id}`, () =>
    preparePage(homePage(items, siteUrl, checked), newestChange(items)),
  );
  return respondWith(c.req.raw, page);
});

site.get("/articles/:slug", async (c) => {
  const slug = c.req.param("slug");
  const item = getItem(slug);
  if (!item) return notFoundResponse(html`没有地址为「${typed(slug)}」的文章。`);
  const { siteUrl } = c.var.config;
  if (item.event) return eventPage(c, item, item.event, siteUrl);
  return respondPrepared(c, () => preparePage(articlePage(item, siteUrl, new Date()), lastModified(item)));
});

/**
 * An event's page changes when the event starts, ends or closes registration: it is kept
 * per state (under a key no request has, so never served ahead of the route) and its
 * Last-Modified moves with the state, so a cache revalidating after the event ended gets
 * the recap, not a 304.
 */
async function eventPage(c: Context<AppEnv>, item: ContentItem, event: EventFacts, siteUrl: string): Promise<Response> {
  const now = new Date();
  const state = `${eventPhase(event, now)}/${registrationOpen(event, now) ? "open" : "closed"}`;
  const changed = Math.max(Date.parse(lastModified(item)), lastPresentationChange(event, now) ?? 0);
  const page = await representations.get(`${storeKey(c.env, c.req.url)} ${state}`, () =>
    preparePage(articlePage(item, siteUrl, now), new Date(changed).toISOString()),
  );
  return respondWith(c.req.raw, page);
}

/** RFC 5545 calendar of an event item, past or upcoming ("添加到日历"). */
site.get("/articles/:slug/event.ics", async (c) => {
  const slug = c.req.param("slug");
  const item = getItem(slug);
  if (!item?.event) return notFoundResponse(item ? `「${item.title}」不是活动，没有日历文件。` : html`没有地址为「${typed(slug)}」的文章。`);
  const { event } = item;
  const { siteUrl } = c.var.config;
  return respondPrepared(c, () =>
    prepareRepresentation(eventCalendar(item, event, siteUrl), "text/calendar; charset=utf-8", new Date(lastModified(item))),
  );
});

site.get("/tags/:tag", async (c) => {
  const tag = c.req.param("tag");
  if (!hasTag(tag)) return notFoundResponse(html`没有标签为「${typed(tag)}」的文章。`);
  const { siteUrl } = c.var.config;
  const tagged = itemsWithTag(tag);
  return respondPrepared(c, () => preparePage(tagPage(tag, tagged, siteUrl), newestChange(tagged)));
});
