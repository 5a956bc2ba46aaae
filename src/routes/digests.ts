/** Digest list, previews, archive and web versions of editions. */
import * as z from "zod/mini";
import { factory } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { digests as catalog, getDigest, type Digest } from "../digests/catalog.ts";
import { digestArchivePage, digestListPage } from "../pages/digest-pages.ts";
import { getEdition, latestEditions, listEditions } from "../digests/editions-store.ts";
import { editionDate, editionItems, NEXT_EDITION_ID, nextEdition, nextRunOf } from "../digests/next-edition.ts";
import { previewNextEdition } from "../delivery/preview.ts";
import { renderWebVersion } from "../digests/render-digest.ts";
import { ApiError } from "../http/api-error.ts";
import { notFoundResponse } from "../pages/not-found-page.ts";
import { apiError, validate } from "../http/validate.ts";
import { themeNames } from "../../emails/theme.ts";

export const digests = factory.createApp();

function digestOr404(id: string): Digest {
  const digest = getDigest(id);
  if (!digest) {
    throw new ApiError(404, "digest_not_found", `no digest "${id}"; known digests: ${catalog.map((d) => d.id).join(", ")}`);
  }
  return digest;
}

digests.get("/", async (c) => {
  const now = new Date();
  const latest = await latestEditions(c.env.DB);
  const rows = catalog.map((digest) => ({ digest, next: nextRunOf(digest, now), last: latest.get(digest.id) }));
  return c.html(digestListPage(rows, now));
});

digests.get("/:id", async (c) => {
  const digest = getDigest(c.req.param("id"));
  if (!digest) return notFoundResponse(`没有编号为「${c.req.param("id")}」的简报，请从「邮件简报」页选择。`);
  const editions = await listEditions(c.env.DB, digest.id);
  const now = new Date();
  return c.html(digestArchivePage(digest, editions, nextRunOf(digest, now), now));
});

const previewQuery = z.object({
  format: z._default(z.enum(["html", "text"], { error: (issue) => `must be "html" or "text", got ${JSON.stringify(issue.input)}` }), "html"),
  theme: z.optional(z.enum(themeNames, { error: (issue) => `no theme ${JSON.stringify(issue.input)}; known themes: ${themeNames.join(", ")}` })),
});
const invalidPreviewQuery = apiError("invalid_query", { format: "invalid_format", theme: "unknown_theme" });

/** The next edition exactly as a subscriber would receive it (HTML or ?format=text), optionally in another ?theme=. */
digests.get("/:id/preview", needsSiteUrl, validate("query", previewQuery, invalidPreviewQuery), async (c) => {
  const digest = digestOr404(c.req.param("id"));
  const { format, theme = digest.theme } = c.req.valid("query");
  const preview = await previewNextEdition(c.env.DB, c.var.config, digest, theme, new Date());
  // What the body cannot show: the subject line, and whether the cron would send this edition at all.
  c.header("X-Digest-Subject", encodeURIComponent(preview.subject));
  c.header("X-Digest-Items", String(preview.items));
  c.header("X-Digest-Would-Send", String(preview.wouldSend));
  return format === "text" ? c.text(preview.text) : c.html(preview.html);
});

/** Web version ("view in browser") of a sent edition, re-rendered from its stored items; `next` is the upcoming one. */
digests.get("/:id/editions/:edition", needsSiteUrl, async (c) => {
  const digest = getDigest(c.req.param("id"));
  if (!digest) return notFoundResponse(`没有编号为「${c.req.param("id")}」的简报，请从「邮件简报」页选择。`);
  const editionId = c.req.param("edition");
  const config = c.var.config;
  const site = { url: config.siteUrl, mailFrom: config.mailFrom };
  if (editionId === NEXT_EDITION_ID) {
    const next = await nextEdition(c.env.DB, digest, new Date());
    return c.html(await renderWebVersion(digest, next.items, next.edition, site, next.sendAt));
  }
  const edition = await getEdition(c.env.DB, editionId);
  if (!edition || edition.digestId !== digest.id) {
    return notFoundResponse(`「${digest.title}」没有编号为「${editionId}」的一期。`);
  }
  // Read later, an edition tells its events as of now: no registration call for one that has ended since.
  return c.html(await renderWebVersion(digest, editionItems(edition), { id: edition.id, date: editionDate(edition) }, site, new Date()));
});
