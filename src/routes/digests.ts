/** Digest list, previews, archive and web versions of editions. */
import type { Context } from "hono";
import { html } from "hono/html";
import * as z from "zod/mini";
import { themeNames } from "../../emails/theme.ts";
import { previewEdition } from "../delivery/preview.ts";
import { digests as catalog, getDigest, type Digest } from "../digests/catalog.ts";
import type { ContentItem } from "../content/item.ts";
import { getLatestEdition, latestEditions, listEditions } from "../digests/editions-store.ts";
import { editionDate, editionItems, NEXT_EDITION_ID, nextEditionAfter, nextRunOf, type NextEdition } from "../digests/next-edition.ts";
import { renderWebVersion } from "../digests/render-digest.ts";
import { factory, type AppEnv } from "../http/app-env.ts";
import { prepareRepresentation, respondWith } from "../http/conditional.ts";
import { representations, storeKey } from "../http/representation-store.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { validate, type InvalidAnswer } from "../http/validate.ts";
import { requestProblemPage } from "../pages/error-pages.ts";
import { digestArchivePage, digestListPage } from "../pages/digest-pages.ts";
import { editionWebPage } from "../pages/edition-web-page.ts";
import { notFoundResponse, typed } from "../pages/not-found-page.ts";

export const digests = factory.createApp();

/** The 404 of a digest id no digest has, pointing to the list. */
const unknownDigest = (id: string) => notFoundResponse(html`没有编号为「${typed(id)}」的简报，请从「邮件简报」页选择。`);

digests.get("/", async (c) => {
  const now = new Date();
  const latest = await latestEditions(c.env.DB);
  const rows = catalog.map((digest) => ({ digest, next: nextRunOf(digest, now), last: latest.get(digest.id) }));
  return c.html(digestListPage(rows, now, c.var.config.siteUrl));
});

digests.get("/:id", async (c) => {
  const digest = getDigest(c.req.param("id"));
  if (!digest) return unknownDigest(c.req.param("id"));
  const editions = await listEditions(c.env.DB, digest.id);
  const now = new Date();
  return c.html(digestArchivePage(digest, editions, nextRunOf(digest, now), now, c.var.config.siteUrl));
});

const previewQuery = z.object({
  format: z._default(z.enum(["html", "text"]), "html"),
  theme: z.optional(z.enum(themeNames)),
});
const invalidPreviewQuery: InvalidAnswer<AppEnv> = (c) =>
  c.html(
    requestProblemPage("无法预览", `预览地址的参数不正确：format 只能是 html 或 text，theme 只能是 ${themeNames.join("、")}。去掉参数即可看到默认的预览。`),
    400,
  );

/**
 * The preview and the web version of the next edition are public (the digest pages link
 * them), so like the other pages they are stored per content version, not rendered per
 * request: what they show changes only with this deploy's content, the digest's latest
 * edition and the next send time, which make up the key (under no URL, so never answered
 * ahead of this route). A schedule that never fires previews as of each request: not stored.
 */
async function respondNextEdition(
  c: Context<AppEnv>,
  digest: Digest,
  variant: string,
  build: (next: NextEdition) => Promise<{ body: string; contentType: string; headers?: Record<string, string> }>,
): Promise<Response> {
  const now = new Date();
  const last = await getLatestEdition(c.env.DB, digest.id);
  const next = nextEditionAfter(digest, last, now);
  // Last-Modified is when this copy was made: never earlier than the change it shows, so no 304 hides one.
  const prepare = async () => {
    const { body, contentType, headers } = await build(next);
    return prepareRepresentation(body, contentType, now, headers);
  };
  // A schedule that never fires sends "now" (see nextEditionAfter).
  if (next.sendAt === now) return respondWith(c.req.raw, await prepare());
  const key = `${storeKey(c.env, c.req.url)} ${variant} after ${last?.id ?? "none"} at ${next.sendAt.getTime()}`;
  return respondWith(c.req.raw, await representations.get(key, prepare));
}

/** The next edition exactly as a subscriber would receive it (HTML or ?format=text), optionally in another ?theme=. */
digests.get("/:id/preview", needsSiteUrl, validate("query", previewQuery, invalidPreviewQuery), async (c) => {
  const digest = getDigest(c.req.param("id"));
  if (!digest) return unknownDigest(c.req.param("id"));
  const { format, theme = digest.theme } = c.req.valid("query");
  return respondNextEdition(c, digest, `${format} ${theme}`, async (next) => {
    const preview = await previewEdition(c.var.config, digest, next, theme);
    // What the body cannot show: the subject line, and whether the cron would send this edition at all.
    const headers = {
      "x-digest-subject": encodeURIComponent(preview.subject),
      "x-digest-items": String(preview.items),
      "x-digest-would-send": String(preview.wouldSend),
    };
    return format === "text"
      ? { body: preview.text, contentType: "text/plain; charset=utf-8", headers }
      : { body: preview.html, contentType: "text/html; charset=utf-8", headers };
  });
});

/** Web version ("view in browser") of a sent edition, re-rendered from its stored items; `next` is the upcoming one. */
digests.get("/:id/editions/:edition", needsSiteUrl, async (c) => {
  const digest = getDigest(c.req.param("id"));
  if (!digest) return unknownDigest(c.req.param("id"));
  const editionId = c.req.param("edition");
  const config = c.var.config;
  const site = { url: config.siteUrl, mailFrom: config.mailFrom };
  const editions = await listEditions(c.env.DB, digest.id);
  // The email inside the site's page: navigation, the previous and next edition, a subscribe form.
  const page = async (items: readonly ContentItem[], title: string, emailHtml: string) =>
    String(
      await editionWebPage(emailHtml, {
        digest,
        editionId,
        editions,
        title,
        description: items[0]?.summary ?? digest.description ?? digest.title,
        leadSlug: items[0]?.slug,
        siteUrl: config.siteUrl,
      }),
    );
  if (editionId === NEXT_EDITION_ID) {
    return respondNextEdition(c, digest, "web", async (next) => ({
      body: await page(next.items, `${digest.title} · 下一期`, await renderWebVersion(digest, next.items, next.edition, site, next.sendAt)),
      contentType: "text/html; charset=utf-8",
    }));
  }
  const edition = editions.find((e) => e.id === editionId);
  if (!edition) return notFoundResponse(html`「${digest.title}」没有编号为「${typed(editionId)}」的一期。`);
  const items = editionItems(edition);
  // Read later, an edition tells its events as of now: no registration call for one that has ended since.
  const emailHtml = await renderWebVersion(digest, items, { id: edition.id, date: editionDate(edition) }, site, new Date());
  return c.html(await page(items, edition.subject, emailHtml));
});
