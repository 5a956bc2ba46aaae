/**
 * What an operator can do with a digest's sends, independent of HTTP: describe the next
 * edition (dry run), mail one test copy, open an edition now, report an edition's
 * delivery, and retry its failed recipients. The operator API (src/routes/sends.ts) and
 * the console (src/routes/admin.ts) both call these, so each exists once.
 */
import type { Digest } from "../digests/catalog.ts";
import { editionsOfDay, getEdition, setEditionStatus, type Edition } from "../digests/editions-store.ts";
import { renderDigest } from "../digests/render-digest.ts";
import { articlePath } from "../feeds/publication.ts";
import { recipientLinks } from "../subscribers/links.ts";
import { recipientEmail } from "./edition-email.ts";
import { emailsOf } from "../subscribers/audience-store.ts";
import { recipientCount } from "../subscribers/counts-store.ts";
import { deliveryCounts, getDeliveryRun, ledgerFailures, requeueFailed, type DeliveryCounts, type FailureCounts } from "./ledger-store.ts";
import type { FailureKind } from "../email/failure-kind.ts";
import { sendEmail, type Mailer } from "../email/mailer.ts";
import { enqueue } from "./messages.ts";
import { openEdition, planEdition, sendRefusal, type SendRefusal } from "./open-edition.ts";
import { recoverEdition, type RecoveryReport } from "./recovery.ts";
import { storeEditionTemplates } from "./edition-templates.ts";
import { log } from "../log.ts";

/** The preview's sample recipient (as on /digests/:id/preview): links signed for an id no subscriber has. */
const TEST_COPY_SUBSCRIBER_ID = 0;
export const TEST_SUBJECT_PREFIX = "[测试] ";
const FAILURES_SHOWN = 500;

export interface DryRun {
  edition: string;
  subject: string;
  recipients: number;
  items: { slug: string; title: string; url: string }[];
  previewUrl: string;
  /** Today's edition, when one is already open. */
  currentEdition: string | null;
  /** Why sending now would open nothing (null: it would send). */
  refusal: SendRefusal | null;
}

/** What sending now would do; sends nothing. `force` selects as for a first edition. */
export async function dryRun(db: D1Database, digest: Digest, siteUrl: string, now: Date, force = false): Promise<DryRun> {
  const [plan, recipients] = await Promise.all([
    planEdition(db, digest, now, { ignoreLastEdition: force }),
    recipientCount(db, digest.id),
  ]);
  return {
    edition: plan.editionId,
    subject: plan.subject,
    recipients,
    items: plan.items.map((item) => ({ slug: item.slug, title: item.title, url: `${siteUrl}${articlePath(item.slug)}` })),
    previewUrl: `${siteUrl}/digests/${digest.id}/preview`,
    currentEdition: plan.currentEditionId,
    refusal: sendRefusal(plan, force),
  };
}

/**
 * Mails one copy of the next edition to `to`, subject prefixed `[测试] `, touching no ledger.
 * It goes through the provider's window in the transactional lane; a refusal or an
 * unreachable provider throws a MailerError naming why.
 */
export async function sendTestCopy(
  mailer: Mailer,
  digest: Digest,
  to: string,
  now: Date,
  force = false,
): Promise<{ to: string; subject: string }> {
  const { db, config } = mailer;
  const siteUrl = config.siteUrl;
  const plan = await planEdition(db, digest, now, { ignoreLastEdition: force });
  const rendered = await renderDigest(digest, plan.items, { id: plan.editionId, date: plan.date }, { url: siteUrl, mailFrom: config.mailFrom }, now);
  const links = await recipientLinks(siteUrl, config.signingSecret, TEST_COPY_SUBSCRIBER_ID, digest.id);
  const email = recipientEmail(rendered, { digest, editionId: "test", from: config.mailFrom, replyTo: config.replyTo, siteUrl, to }, links);
  const subject = TEST_SUBJECT_PREFIX + email.subject;
  await sendEmail(mailer, { ...email, subject }, `test/${crypto.randomUUID()}`);
  return { to, subject };
}

/**
 * Stores the content of the edition an operator is about to open at the provider (a
 * template: two requests, src/delivery/edition-templates.ts) while the operator reads the
 * confirmation page or the dry run's answer, so the send that follows names it from its
 * first batch instead of spending those two round trips first (1 s at 500 ms a request,
 * 2 s at 1 s). Best effort: if the edition opens with other content (another id, an event
 * that ended meanwhile) or its consumer runs in another isolate, the send stores its own,
 * as it would have without this.
 */
export async function prepareEditionContent({ db, config, window }: Mailer, digest: Digest, now: Date, force = false): Promise<void> {
  const resend = config.resend;
  if (!resend) return;
  try {
    const plan = await planEdition(db, digest, now, { ignoreLastEdition: force });
    if (sendRefusal(plan, force)) return;
    // As renderEdition renders the edition for its readers with nothing already sent.
    const rendered = await renderDigest(digest, plan.items, { id: plan.editionId, date: plan.date }, { url: config.siteUrl, mailFrom: config.mailFrom }, now);
    const stored = await storeEditionTemplates(resend, plan.editionId, [rendered], { lane: "digest", window, timeoutMs: config.providerTimeoutMs });
    if (!(stored instanceof Map)) log.warn("template-not-prepared", { edition: plan.editionId, reason: "reason" in stored ? stored.reason : stored.kind });
  } catch (error) {
    // Background work after the answer: the send itself stores the content again.
    log.error("template-not-prepared", { digest: digest.id, error });
  }
}

export type SendNowResult =
  | { kind: "opened"; edition: string; recipients: number }
  /** Today's edition already went out; `force` opens another. */
  | { kind: "edition-exists"; edition: string | null; status: Edition["status"] | undefined }
  /** Nothing new since the last edition; `force` sends the latest items anyway. */
  | { kind: "nothing-new" };

async function editionExists(db: D1Database, editionId: string | null): Promise<SendNowResult> {
  const current = editionId ? await getEdition(db, editionId) : null;
  return { kind: "edition-exists", edition: editionId, status: current?.status };
}

/** Opens today's edition and starts its delivery. */
export async function sendNow(env: Env, digest: Digest, siteUrl: string, now: Date, force = false): Promise<SendNowResult> {
  // A forced send selects as for a first edition: "send it anyway", even with nothing new.
  const plan = await planEdition(env.DB, digest, now, { ignoreLastEdition: force });
  const refusal = sendRefusal(plan, force);
  if (refusal === "edition-exists") return editionExists(env.DB, plan.currentEditionId);
  if (refusal === "nothing-new") return { kind: "nothing-new" };
  const recipients = await recipientCount(env.DB, digest.id);
  const edition = await openEdition(env, plan, { trigger: "manual", scheduledFor: null, siteUrl, onlyIfFirstOfDay: !force }, now);
  // Another trigger opened today's edition between the check above and this send's atomic insert.
  if (!edition) return editionExists(env.DB, (await editionsOfDay(env.DB, digest.id, plan.date))[0]?.id ?? null);
  return { kind: "opened", edition: edition.id, recipients };
}

export interface DeliveryFailure {
  email: string;
  reason: string;
  kind: FailureKind;
}

/** The edition's failed recipients with their addresses; an erased subscriber's failure is left out (the address is gone). */
async function deliveryFailures(db: D1Database, editionId: string, limit: number): Promise<DeliveryFailure[]> {
  const failures = await ledgerFailures(db, editionId, limit);
  const emails = await emailsOf(db, failures.map((failure) => failure.subscriberId));
  return failures.flatMap((failure) => {
    const email = emails.get(failure.subscriberId);
    return email ? [{ email, reason: failure.reason, kind: failure.kind }] : [];
  });
}

export interface EditionReport {
  edition: Edition;
  counts: DeliveryCounts;
  /** `counts.failed` split: permanent ones are never retried, temporary ones are what retry-failed sends again. */
  failedByKind: FailureCounts;
  /** Permanent bounces and complaints of readers it was sent to (they count as sent: the provider accepted them). */
  bounced: number;
  complained: number;
  failures: DeliveryFailure[];
}

/** An edition with its delivery counts and (up to 500 of each kind) failures; null when unknown. */
export async function editionReport(db: D1Database, id: string): Promise<EditionReport | null> {
  const [edition, run] = await Promise.all([getEdition(db, id), deliveryCounts(db, id)]);
  // The counters say whether there is anything to list: no failures, no reading of the batches.
  const failures = run.failed > 0 ? await deliveryFailures(db, id, FAILURES_SHOWN) : [];
  const { failedByKind, bounced, complained, ...counts } = run;
  return edition ? { edition, counts, failedByKind, bounced, complained, failures } : null;
}

export type RetryResult = { kind: "not-found" } | { kind: "fanning-out" } | { kind: "requeued"; recipients: number };

/**
 * Sends the edition again to its temporarily failed recipients only (fresh batches, fresh
 * idempotency keys); permanent failures are never sent again, and whoever unsubscribed or
 * was suppressed since is skipped when their batch is sent.
 */
export async function retryFailed(env: Env, id: string, now: Date): Promise<RetryResult> {
  const [edition, run] = await Promise.all([getEdition(env.DB, id), getDeliveryRun(env.DB, id)]);
  if (!edition) return { kind: "not-found" };
  if (!run?.fanoutCompleted) return { kind: "fanning-out" };
  const { batches, recipients } = await requeueFailed(env.DB, id, now);
  if (recipients > 0) {
    await setEditionStatus(env.DB, id, "sending", now);
    await enqueue(
      env.DELIVERY_QUEUE,
      batches.map((batch) => ({ type: "deliver", edition: id, batch })),
    );
  }
  return { kind: "requeued", recipients };
}

/** Re-enqueues an interrupted send at once (see recovery.ts); null when the edition is unknown. */
export async function resumeEdition(env: Env, id: string, siteUrl: string, now: Date): Promise<RecoveryReport | null> {
  const edition = await getEdition(env.DB, id);
  return edition ? recoverEdition(env, edition, siteUrl, "resume", now) : null;
}
