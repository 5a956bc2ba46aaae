/** Operator API to open, inspect, resume and retry digest sends (bearer ADMIN_TOKEN). */
import { factory, waitUntilOf } from "../http/app-env.ts";
import { needsSiteUrl } from "../http/request-config.ts";
import { digests as catalog, getDigest } from "../digests/catalog.ts";
import { dryRun, editionReport, prepareEditionContent, resumeEdition, retryFailed, sendNow, sendTestCopy } from "../delivery/operator-sends.ts";
import { requireAdmin } from "../http/admin-auth.ts";
import { ApiError } from "../http/api-error.ts";
import { MailerError } from "../email/mailer.ts";
import { sharedWindow } from "../email/provider-window.ts";
import { sendRequest } from "../http/operator-schemas.ts";
import { readBody } from "../http/read-body.ts";
import { apiError, validate } from "../http/validate.ts";

export const sends = factory.createApp();
sends.use("*", requireAdmin);

/** `{ "digest", "dryRun", "testTo", "force" }` is a few dozen bytes. */
const SEND_REQUEST_MAX_BYTES = 16 * 1024;

/**
 * { digest } opens and sends the current edition; { dryRun } describes it; { testTo }
 * sends one test copy. Today's edition already opened → 409 unless { force }.
 */
sends.post(
  "/",
  needsSiteUrl,
  readBody({ json: { maxBytes: SEND_REQUEST_MAX_BYTES, answer: "json" } }),
  validate("json", sendRequest, apiError("invalid_body")),
  async (c) => {
    const body = c.req.valid("json");
    const digest = getDigest(body.digest);
    if (!digest) {
      throw new ApiError(404, "digest_not_found", `no digest "${body.digest}"; known digests: ${catalog.map((d) => d.id).join(", ")}`);
    }
    const config = c.var.config;
    const now = new Date();
    const force = body.force === true;

    if (body.dryRun) {
      const { currentEdition, ...plan } = await dryRun(c.env.DB, digest, config.siteUrl, now, force);
      // The send that usually follows a dry run finds the edition's content at the provider already
      // (nothing is stored when sending would open nothing).
      waitUntilOf(c)?.(prepareEditionContent({ db: c.env.DB, config, window: sharedWindow(c.env) }, digest, now, force));
      return c.json({ dryRun: true, ...plan, ...(currentEdition ? { currentEdition } : {}) });
    }
    if (body.testTo) {
      const mailer = { db: c.env.DB, config, window: sharedWindow(c.env) };
      const sent = await sendTestCopy(mailer, digest, body.testTo, now, force).catch((error: unknown) => {
        if (!(error instanceof MailerError)) throw error;
        // The provider's answer, not ours: a gateway error naming what it said.
        throw new ApiError(502, error.kind === "refused" ? "provider_refused" : "provider_unavailable", error.message);
      });
      return c.json({ test: true, ...sent });
    }

    const result = await sendNow(c.env, digest, config.siteUrl, now, force);
    if (result.kind === "edition-exists") {
      const message = `today's edition ${result.edition} of "${digest.id}" already went out (status ${result.status}); send {"force": true} to open a new edition`;
      return c.json({ error: { code: "edition_exists", message }, edition: result.edition }, 409);
    }
    if (result.kind === "nothing-new") {
      throw new ApiError(409, "nothing_to_send", `"${digest.id}" has no new items since its last edition; send {"force": true} to send its latest items anyway`);
    }
    return c.json({ edition: result.edition, recipients: result.recipients }, 202);
  },
);

/** Status of an edition's delivery: counts per ledger state, failures per kind, and who failed why. */
sends.get("/:edition", async (c) => {
  const id = c.req.param("edition");
  const report = await editionReport(c.env.DB, id);
  if (!report) throw new ApiError(404, "edition_not_found", `no edition "${id}"`);
  const { edition, counts, failedByKind, bounced, complained, failures } = report;
  return c.json({
    edition: edition.id,
    digest: edition.digestId,
    trigger: edition.trigger,
    status: edition.status,
    error: edition.error,
    subject: edition.subject,
    items: edition.itemSlugs,
    createdAt: edition.createdAt,
    completedAt: edition.completedAt,
    counts,
    failedByKind,
    bounced,
    complained,
    failures,
  });
});

/** Sends the edition again to its temporarily failed recipients only (fresh batches, fresh idempotency keys); permanent failures stay. */
sends.post("/:edition/retry-failed", async (c) => {
  const id = c.req.param("edition");
  const result = await retryFailed(c.env, id, new Date());
  if (result.kind === "not-found") throw new ApiError(404, "edition_not_found", `no edition "${id}"`);
  if (result.kind === "fanning-out") {
    throw new ApiError(409, "edition_fanning_out", `edition ${id} is still being queued for its recipients; retry once that is done`);
  }
  return c.json({ edition: id, recipients: result.recipients }, result.recipients > 0 ? 202 : 200);
});

/**
 * Puts an interrupted send back on the queue at once (what the maintenance sweep does
 * after its quiet period): unsettled batches under their original idempotency keys,
 * claims older than the provider's window failed with the reason, the fan-out resumed.
 */
sends.post("/:edition/resume", needsSiteUrl, async (c) => {
  const id = c.req.param("edition");
  const report = await resumeEdition(c.env, id, c.var.config.siteUrl, new Date());
  if (!report) throw new ApiError(404, "edition_not_found", `no edition "${id}"`);
  return c.json(report, report.requeued.batches > 0 || report.fanOutResumed ? 202 : 200);
});
