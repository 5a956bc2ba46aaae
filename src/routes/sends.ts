/** Operator API to open, inspect, resume and retry digest sends (bearer ADMIN_TOKEN). */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app.ts";
import { getConfig } from "../config.ts";
import { digests as catalog, getDigest } from "../digests/catalog.ts";
import { articlePath } from "../feeds/publication.ts";
import { getEdition, setEditionStatus } from "../digests/editions-store.ts";
import { renderDigest } from "../digests/render-digest.ts";
import { recipientEmail } from "../delivery/edition-email.ts";
import { countRecipients, deliveryCounts, deliveryFailures, getDeliveryRun, requeueFailed } from "../delivery/ledger-store.ts";
import { sendEmail } from "../delivery/mailer.ts";
import { editionsOfDay } from "../delivery/edition-lookup-store.ts";
import { enqueue } from "../delivery/messages.ts";
import { openEdition, planEdition } from "../delivery/open-edition.ts";
import { recoverEdition } from "../delivery/recovery.ts";
import { requireAdmin } from "../http/admin-auth.ts";
import { ApiError, describeInvalidFields } from "../http/api-error.ts";
import { readJsonBody } from "../http/read-body.ts";
import { siteUrlOf } from "../http/site-url.ts";
import { recipientLinks } from "../subscribers/links.ts";

export const sends = new Hono<AppEnv>();
sends.use("*", requireAdmin);

const sendRequest = z
  .strictObject({
    digest: z.string({ error: "expected a digest id (string)" }).min(1, { error: "expected a digest id" }),
    dryRun: z.boolean({ error: "expected true or false" }).optional(),
    testTo: z.email({ error: "expected an email address" }).optional(),
    force: z.boolean({ error: "expected true or false" }).optional(),
  })
  .refine((body) => !(body.dryRun && body.testTo), { error: "dryRun and testTo cannot be combined", path: ["testTo"] });

/** The preview's sample recipient (as on /digests/:id/preview): links signed for an id no subscriber has. */
const TEST_COPY_SUBSCRIBER_ID = 0;
const TEST_SUBJECT_PREFIX = "[测试] ";
const FAILURES_SHOWN = 500;

/** `{ "digest", "dryRun", "testTo", "force" }` is a few dozen bytes. */
const SEND_REQUEST_MAX_BYTES = 16 * 1024;

async function parseSendRequest(c: Context<AppEnv>) {
  const body = await readJsonBody(c, { maxBytes: SEND_REQUEST_MAX_BYTES, answer: "json" });
  const parsed = sendRequest.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(400, "invalid_body", describeInvalidFields(parsed.error));
  }
  return parsed.data;
}

/**
 * { digest } opens and sends the current edition; { dryRun } describes it; { testTo }
 * sends one test copy. Today's edition already opened → 409 unless { force }.
 */
sends.post("/", async (c) => {
  const body = await parseSendRequest(c);
  const digest = getDigest(body.digest);
  if (!digest) {
    throw new ApiError(404, "digest_not_found", `no digest "${body.digest}"; known digests: ${catalog.map((d) => d.id).join(", ")}`);
  }
  const config = getConfig(c.env);
  const siteUrl = siteUrlOf(c);
  const now = new Date();
  // A forced send selects as for a first edition: "send it anyway", even with nothing new.
  const plan = await planEdition(c.env.DB, digest, now, { ignoreLastEdition: body.force === true });

  if (body.dryRun) {
    return c.json({
      dryRun: true,
      edition: plan.editionId,
      subject: plan.subject,
      recipients: await countRecipients(c.env.DB, digest.id),
      items: plan.items.map((item) => ({ slug: item.slug, title: item.title, url: `${siteUrl}${articlePath(item.slug)}` })),
      previewUrl: `${siteUrl}/digests/${digest.id}/preview`,
      ...(plan.currentEditionId ? { currentEdition: plan.currentEditionId } : {}),
    });
  }

  if (body.testTo) {
    const rendered = await renderDigest(
      digest,
      plan.items,
      { id: plan.editionId, date: plan.date },
      { url: siteUrl, mailFrom: config.mailFrom },
      now,
    );
    const links = await recipientLinks(siteUrl, config.signingSecret, TEST_COPY_SUBSCRIBER_ID, digest.id);
    const email = recipientEmail(rendered, { digest, editionId: "test", from: config.mailFrom, replyTo: config.replyTo, siteUrl, to: body.testTo }, links);
    const subject = TEST_SUBJECT_PREFIX + email.subject;
    await sendEmail(c.env.DB, config, { ...email, subject });
    return c.json({ test: true, to: body.testTo, subject });
  }

  const editionExists = async (editionId: string | null) => {
    const current = editionId ? await getEdition(c.env.DB, editionId) : null;
    const message = `today's edition ${editionId} of "${digest.id}" already went out (status ${current?.status}); send {"force": true} to open a new edition`;
    return c.json({ error: { code: "edition_exists", message }, edition: editionId }, 409);
  };
  if (plan.currentEditionId && !body.force) return editionExists(plan.currentEditionId);
  if (plan.items.length === 0 && !digest.sendWhenEmpty) {
    throw new ApiError(409, "nothing_to_send", `"${digest.id}" has no new items since its last edition; send {"force": true} to send its latest items anyway`);
  }
  const recipients = await countRecipients(c.env.DB, digest.id);
  const edition = await openEdition(
    c.env,
    plan,
    { trigger: "manual", scheduledFor: null, siteUrl, onlyIfFirstOfDay: body.force !== true },
    now,
  );
  // Another trigger opened today's edition between the check above and this send's atomic insert.
  if (!edition) return editionExists((await editionsOfDay(c.env.DB, digest.id, plan.date))[0]?.id ?? null);
  return c.json({ edition: edition.id, recipients }, 202);
});

/** Status of an edition's delivery: counts per ledger state and who failed why. */
sends.get("/:edition", async (c) => {
  const id = c.req.param("edition");
  const edition = await getEdition(c.env.DB, id);
  if (!edition) throw new ApiError(404, "edition_not_found", `no edition "${id}"`);
  const [counts, failures] = await Promise.all([
    deliveryCounts(c.env.DB, id),
    deliveryFailures(c.env.DB, id, FAILURES_SHOWN),
  ]);
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
    failures,
  });
});

/** Sends the edition again to its failed recipients only (fresh batches, fresh idempotency keys). */
sends.post("/:edition/retry-failed", async (c) => {
  const id = c.req.param("edition");
  const [edition, run] = await Promise.all([getEdition(c.env.DB, id), getDeliveryRun(c.env.DB, id)]);
  if (!edition) throw new ApiError(404, "edition_not_found", `no edition "${id}"`);
  if (!run?.fanoutCompleted) {
    throw new ApiError(409, "edition_fanning_out", `edition ${id} is still being queued for its recipients; retry once that is done`);
  }
  const now = new Date();
  const { batches, recipients } = await requeueFailed(c.env.DB, id, now);
  if (recipients > 0) {
    await setEditionStatus(c.env.DB, id, "sending", now);
    await enqueue(
      c.env.DELIVERY_QUEUE,
      batches.map((batch) => ({ type: "deliver", edition: id, batch })),
    );
  }
  return c.json({ edition: id, recipients }, recipients > 0 ? 202 : 200);
});

/**
 * Puts an interrupted send back on the queue at once (what the maintenance sweep does
 * after its quiet period): unsettled batches under their original idempotency keys,
 * claims older than the provider's window failed with the reason, the fan-out resumed.
 */
sends.post("/:edition/resume", async (c) => {
  const id = c.req.param("edition");
  const edition = await getEdition(c.env.DB, id);
  if (!edition) throw new ApiError(404, "edition_not_found", `no edition "${id}"`);
  const report = await recoverEdition(c.env, edition, siteUrlOf(c), "resume", new Date());
  return c.json(report, report.requeued.batches > 0 || report.fanOutResumed ? 202 : 200);
});
