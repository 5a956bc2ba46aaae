/**
 * Delivers one ledger batch (≤ 100 recipients) of an edition as one provider batch.
 *
 * Never twice: rows are claimed (`sending`) before the request and marked `sent` only
 * after the provider accepted; a retry after a lost response or a crash resends the
 * same frozen batch under the same Idempotency-Key `<edition>/<batch>`, which the
 * provider answers from its record instead of sending again. The outbox sink keys each
 * message `<edition>/<subscriber>` for the same effect.
 */
import type { Config } from "../config.ts";
import { getDigest } from "../digests/catalog.ts";
import { getEdition } from "../digests/editions-store.ts";
import { recipientLinks } from "../subscribers/links.ts";
import { recipientEmail, recipientTemplatedEmail, renderEdition, type RecipientRefs } from "./edition-email.ts";
import { storeEditionTemplates } from "./edition-templates.ts";
import { forgetTemplates } from "../email/provider-templates.ts";
import type { RenderedDigest } from "../digests/render-digest.ts";
import type { RecipientLinks } from "../digests/digest-view.ts";
import { nothingNewFor, recipientItems } from "./recipient-items.ts";
import {
  claimForSending,
  closeEditionIfDelivered,
  failQueued,
  getDeliveryRun,
  pendingDeliveries,
  recordOutcomes,
  stopForQuota,
  type DeliveryOutcome,
  type PendingDelivery,
} from "./ledger-store.ts";
import type { FailureKind } from "../email/failure-kind.ts";
import type { ProviderEmail } from "../email/outgoing-email.ts";
import { insertOutboxMessages } from "../email/outbox-store.ts";
import type { SendWindow } from "../email/pacer.ts";
import { sendProviderBatch, type BatchOutcome, type ProviderRequest, type Refusal } from "../email/provider-batch.ts";
import { log } from "../log.ts";

/** What the queue should do with the message: nothing more, or deliver it again later. */
export type DeliveryNext = { done: true } | { done: false; retryAfterSeconds: number };

/**
 * Attempts after which a batch that keeps failing transiently is marked failed (and
 * can be re-sent with retry-failed) instead of going to the dead-letter queue; equal
 * to max_retries of the consumer in wrangler.toml.
 */
export const MAX_DELIVERY_ATTEMPTS = 10;

/** Exponential backoff for transient failures: 2, 4, 8 … seconds, at most 5 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(2 ** attempts, 300);
}

const DONE: DeliveryNext = { done: true };

interface RecipientCopy {
  rendered: RenderedDigest;
  refs: RecipientRefs;
  links: RecipientLinks;
}

/** A copy as the provider gets it: its variant's template and the reader's links, or (no template) its content. */
function providerCopy({ rendered, refs, links }: RecipientCopy, templates: Map<RenderedDigest, string>): ProviderEmail {
  const alias = templates.get(rendered);
  return alias ? recipientTemplatedEmail(rendered, refs, links, alias) : recipientEmail(rendered, refs, links);
}

/**
 * A 429 holds the window until its retry-after; one this short is waited out here, so the
 * batch stays in this invocation (a queue retry would come back in a later one, after the
 * rest of this invocation's batches and a fresh start). A longer one, or a fourth, goes
 * back to the queue.
 */
const RATE_LIMITED_WAIT_IN_PLACE_SECONDS = 5;
const RATE_LIMITED_RETRIES_IN_PLACE = 3;

/**
 * Sends the copies: the edition's content goes to the provider once per variant (a
 * template), each copy carrying its reader's links. Returns the templates named (or why
 * none could be stored) with the batch's outcome.
 */
async function sendCopies(
  resend: NonNullable<Config["resend"]>,
  editionId: string,
  copies: RecipientCopy[],
  request: ProviderRequest,
): Promise<{ templates: Map<RenderedDigest, string> | Refusal; outcome: BatchOutcome }> {
  for (let retries = 0; ; retries++) {
    const templates = await storeEditionTemplates(resend, editionId, copies.map((copy) => copy.rendered), request);
    const outcome = templates instanceof Map ? await sendProviderBatch(resend, copies.map((copy) => providerCopy(copy, templates)), request) : templates;
    const waitInPlace = outcome.kind === "rate-limited" && outcome.retryAfterSeconds <= RATE_LIMITED_WAIT_IN_PLACE_SECONDS;
    if (!waitInPlace || retries === RATE_LIMITED_RETRIES_IN_PLACE) return { templates, outcome };
  }
}

/** `window` grants provider requests their start (the announced rate); its clock also dates the ledger. */
export async function deliverBatch(
  env: Env,
  config: Config,
  editionId: string,
  batch: number,
  attempts: number,
  window: SendWindow,
): Promise<DeliveryNext> {
  const db = env.DB;
  const now = () => window.clock.now();
  const started = now().getTime();
  const edition = await getEdition(db, editionId);
  const run = await getDeliveryRun(db, editionId);
  if (!edition || !run) {
    log.error("batch-dropped", { edition: editionId, batch, reason: "the edition has no delivery run" });
    return DONE;
  }
  // Failures decided here (quota, giving up, a stopped edition) are never about an address: retry-failed sends them again.
  const fail = (rows: PendingDelivery[], reason: string, failure: FailureKind = "temporary"): DeliveryOutcome[] =>
    rows.map((row) => ({ subscriberId: row.subscriberId, status: "failed", error: reason, failure }));

  // A stopped edition sends nothing new; batches already handed to the provider are still settled.
  if (edition.status === "stopped") await failQueued(db, edition.id, edition.error ?? "edition stopped", now());

  const pending = await pendingDeliveries(db, edition, batch);
  // Each reader's items leave out what reached them in the last 14 days (src/digests/repeats.ts).
  const itemsOf = await recipientItems(db, edition, pending.map((row) => row.subscriberId));
  // Status is checked again here, right before sending: who unsubscribed or was
  // suppressed since the fan-out, or has nothing new, is skipped. Rows already `sending`
  // were possibly accepted by the provider, so they are resent unchanged (same payload,
  // same key: their items can only have grown since, never emptied).
  const skip = pending.filter(
    (row) => row.status === "queued" && (!row.eligible || nothingNewFor(edition, itemsOf.get(row.subscriberId))),
  );
  const send = pending.filter((row) => !skip.includes(row));
  await claimForSending(
    db,
    edition.id,
    batch,
    skip.map((row) => row.subscriberId),
    send.filter((row) => row.status === "queued").map((row) => row.subscriberId),
    now(),
  );
  if (send.length === 0) {
    await closeEditionIfDelivered(db, edition.id, now());
    return DONE;
  }

  const digest = getDigest(edition.digestId);
  if (!digest) {
    await recordOutcomes(db, edition.id, batch, fail(send, `digest ${edition.digestId} no longer exists`), now());
    await closeEditionIfDelivered(db, edition.id, now());
    return DONE;
  }
  const site = { url: run.siteUrl, mailFrom: config.mailFrom };
  const copies: RecipientCopy[] = await Promise.all(
    send.map(async (row) => ({
      rendered: await renderEdition(edition, digest, site, itemsOf.get(row.subscriberId)),
      refs: { digest, editionId: edition.id, from: config.mailFrom, replyTo: config.replyTo, siteUrl: run.siteUrl, to: row.email },
      links: await recipientLinks(run.siteUrl, config.signingSecret, row.subscriberId, digest.id),
    })),
  );

  let outcomes: DeliveryOutcome[];
  let stoppedBy: string | null = null;
  if (!config.resend) {
    await insertOutboxMessages(
      db,
      copies.map((copy, i) => ({ email: recipientEmail(copy.rendered, copy.refs, copy.links), idempotencyKey: `${edition.id}/${send[i]?.subscriberId}` })),
      now(),
    );
    outcomes = send.map((row) => ({ subscriberId: row.subscriberId, status: "sent" }));
  } else {
    const request = { idempotencyKey: `${edition.id}/${batch}`, lane: "digest" as const, window, timeoutMs: config.providerTimeoutMs };
    const { templates, outcome } = await sendCopies(config.resend, edition.id, copies, request);
    switch (outcome.kind) {
      case "accepted":
        outcomes = send.map((row, i) => {
          const result = outcome.results[i];
          if (result?.ok) return { subscriberId: row.subscriberId, status: "sent", providerId: result.id };
          return result
            ? { subscriberId: row.subscriberId, status: "failed", error: result.reason, failure: result.failure }
            : { subscriberId: row.subscriberId, status: "failed", error: "no result from the provider", failure: "temporary" };
        });
        break;
      case "already-accepted":
        log.warn("delivery-accepted-earlier", { edition: edition.id, batch, reason: outcome.reason });
        outcomes = send.map((row) => ({ subscriberId: row.subscriberId, status: "sent" }));
        break;
      case "rate-limited":
        return { done: false, retryAfterSeconds: outcome.retryAfterSeconds };
      case "quota-exceeded":
        // The quota will not come back within this send: this batch fails, then the edition stops.
        log.error("edition-stopped", { edition: edition.id, batch, reason: outcome.reason });
        outcomes = fail(send, outcome.reason);
        stoppedBy = outcome.reason;
        break;
      case "transient":
        if (attempts < MAX_DELIVERY_ATTEMPTS) {
          log.warn("delivery-retry", { edition: edition.id, batch, attempts, reason: outcome.reason });
          return { done: false, retryAfterSeconds: backoffSeconds(attempts) };
        }
        outcomes = fail(send, `gave up after ${attempts} attempts: ${outcome.reason}`);
        break;
      case "rejected":
        if (templates instanceof Map && templates.size > 0 && attempts === 1) {
          // Perhaps a template is gone at the provider: publish again, and try the batch once more.
          forgetTemplates(config.resend, templates.values());
          log.warn("delivery-retry", { edition: edition.id, batch, attempts, reason: outcome.reason });
          return { done: false, retryAfterSeconds: backoffSeconds(attempts) };
        }
        outcomes = fail(send, outcome.reason, outcome.failure);
        break;
    }
  }
  await recordOutcomes(db, edition.id, batch, outcomes, now());
  // Killed between the two: the edition is not stopped yet, so the next batch meets the quota and stops it.
  if (stoppedBy !== null) await stopForQuota(db, edition.id, stoppedBy, now());
  await closeEditionIfDelivered(db, edition.id, now());
  const sent = outcomes.filter((outcome) => outcome.status === "sent").length;
  const counts = { attempts, sent, failed: outcomes.length - sent };
  log.info("delivery", { edition: edition.id, batch, ...counts, durationMs: now().getTime() - started });
  return DONE;
}
