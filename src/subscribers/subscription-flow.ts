/**
 * The reader-facing subscription flows, independent of HTTP: subscribe (double
 * opt-in), confirm, unsubscribe, and resolving a link's token to its subscriber.
 *
 * Enumeration safety: requestSubscription's answer to the caller never depends on
 * whether the address exists or in which state. Before answering it only validates and
 * counts the request (work that is the same for every address) and the route puts one
 * message on the mail queue, whatever the state; everything that reads or writes the
 * subscriber, and the confirmation email, runs in the queue's consumer
 * (recordAndConfirm), outside the request's isolate, so neither the answer nor the next
 * request on that isolate is different or slower for a known address.
 */
import type { Config } from "../config.ts";
import { getDigest, offeredDigests } from "../digests/catalog.ts";
import { renderConfirmation, renderUnsubscribed } from "../email/render-transactional.ts";
import { sendEmail, type Mailer } from "../email/mailer.ts";
import { emailAddress, mailboxOf, refusalOf } from "./email-address.ts";
import { confirmationLink, recipientLinks } from "./links.ts";
import { clientNetwork, hitRateLimit, type RateRule } from "./rate-limit.ts";
import { activate, getSubscriberById, unsubscribe, unsubscribeFromDigest, upsertPending, type PendingRequest, type Subscriber } from "./store.ts";
import { keyedHash, verifyToken, type TokenClaims, type TokenPurpose } from "./tokens.ts";

/** Per client (IPv4 address or IPv6 /64): a page reload or a typo fixed, not a script. */
export const IP_LIMIT = { limit: 10, windowSeconds: 10 * 60 };
/** Per address: caps the confirmation mails anyone can make a stranger receive. */
export const ADDRESS_LIMIT = { limit: 3, windowSeconds: 60 * 60 };

export interface SubscribeInput {
  email: string;
  /** Absent means every digest still offered. */
  digests?: string[];
  /** "web form" or "api"; kept as the consent source. */
  source: string;
  clientIp: string;
}

export type SubscribeResult =
  /** `message` in English (the API), `readerMessage` in Chinese (the form's page). */
  | { kind: "invalid"; message: string; readerMessage: string }
  | { kind: "rate-limited"; retryAfterSeconds: number }
  /** Hand `request` to the mail queue (recordAndConfirm) before answering. */
  | { kind: "accepted"; request: PendingRequest };

/**
 * Checks digest ids against the catalog; the message names the unknown ones (`readerMessage`:
 * in Chinese, for a page). `offeredOnly`: a reader's own choice, where an ended digest is refused
 * too (an import keeps them, so an export imports back unchanged).
 */
export function checkDigestIds(
  ids: string[],
  { offeredOnly = false }: { offeredOnly?: boolean } = {},
): { ok: true; ids: string[] } | { ok: false; message: string; readerMessage: string } {
  const ended = offeredOnly ? ids.map(getDigest).find((digest) => digest?.ended) : undefined;
  if (ended) {
    return {
      ok: false,
      message: `digest "${ended.id}" has ended and can no longer be subscribed to`,
      readerMessage: `「${ended.title}」已结束，不再发送，请选择其他简报。`,
    };
  }
  const unknown = ids.filter((id) => !getDigest(id));
  if (unknown.length > 0) {
    const known = offeredDigests.map((digest) => digest.id).join(", ");
    return {
      ok: false,
      message: `unknown digest ${unknown.map((id) => `"${id}"`).join(", ")} (known: ${known})`,
      readerMessage: "所选的简报已不存在，请在下面的列表中重新勾选。",
    };
  }
  if (ids.length === 0) {
    return { ok: false, message: "digests is empty: list at least one digest, or leave it out for all", readerMessage: NO_DIGEST_CHOSEN };
  }
  return { ok: true, ids: [...new Set(ids)] };
}

/** No digest checked, on the subscribe form or the preferences page. */
export const NO_DIGEST_CHOSEN = "请至少选择一份简报。";

export async function requestSubscription(
  db: D1Database,
  config: Config,
  input: SubscribeInput,
  now: Date,
): Promise<SubscribeResult> {
  const address = emailAddress.safeParse(input.email);
  if (!address.success) {
    const refused = refusalOf(address.error);
    return { kind: "invalid", message: refused.reason, readerMessage: refused.readerReason };
  }
  const chosen = checkDigestIds(input.digests ?? offeredDigests.map((digest) => digest.id), { offeredOnly: true });
  if (!chosen.ok) return { kind: "invalid", message: chosen.message, readerMessage: chosen.readerMessage };

  const rules: RateRule[] = [
    { key: `ip:${clientNetwork(input.clientIp)}`, ...IP_LIMIT },
    // Keyed on the mailbox (`+tag` removed), so tags do not multiply a stranger's allowance.
    { key: `email:${await keyedHash(config.signingSecret, mailboxOf(address.data))}`, ...ADDRESS_LIMIT },
  ];
  for (const rule of rules) {
    const check = await hitRateLimit(db, rule, now);
    if (!check.ok) return { kind: "rate-limited", retryAfterSeconds: check.retryAfterSeconds };
  }

  return { kind: "accepted", request: { email: address.data, digests: chosen.ids, source: input.source } };
}

/**
 * The state-dependent part of a subscribe request, run by the mail queue's consumer:
 * records it and sends the confirmation when one is due. `now` is when the request was
 * made and `mailKey` names it, so a redelivered message sends the same email under the
 * same key (the provider answers a repeat from its record).
 */
export async function recordAndConfirm(mailer: Mailer, request: PendingRequest, now: Date, mailKey: string): Promise<void> {
  const { subscriber, needsConfirmation } = await upsertPending(mailer.db, request, now);
  if (needsConfirmation) await sendConfirmation(mailer, subscriber, now, mailKey);
}

async function sendConfirmation(mailer: Mailer, subscriber: Subscriber, now: Date, mailKey: string): Promise<void> {
  const { config } = mailer;
  const confirmUrl = await confirmationLink(config.siteUrl, config.signingSecret, subscriber, now);
  const mail = await renderConfirmation({
    confirmUrl,
    siteUrl: config.siteUrl,
    mailFrom: config.mailFrom,
    digestTitles: subscriber.digests.map((id) => getDigest(id)?.title ?? id),
  });
  await sendEmail(
    mailer,
    { from: config.mailFrom, to: subscriber.email, ...mail, tags: [{ name: "category", value: "confirmation" }] },
    `confirmation/${mailKey}`,
  );
}

export type TokenProblem = "invalid" | "expired" | "unknown-subscriber";

/** A link's token and the subscriber it names. Forged, malformed and wrong-purpose tokens are all "invalid". */
export async function resolveToken(
  db: D1Database,
  secret: string,
  token: string | undefined,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ ok: true; subscriber: Subscriber; claims: TokenClaims } | { ok: false; problem: TokenProblem }> {
  if (!token) return { ok: false, problem: "invalid" };
  const check = await verifyToken(secret, token, purpose, now);
  if (!check.ok) return { ok: false, problem: check.reason === "expired" ? "expired" : "invalid" };
  const subscriber = await getSubscriberById(db, check.claims.subscriberId);
  return subscriber ? { ok: true, subscriber, claims: check.claims } : { ok: false, problem: "unknown-subscriber" };
}

export type ConfirmCheck =
  /** The link is the subscriber's current one and they are still pending: it can confirm. */
  | { kind: "ready"; subscriber: Subscriber; generation: number }
  /** The link was already used (the subscriber is active) or outlived (unsubscribed, suppressed). */
  | { kind: "used"; subscriber: Subscriber }
  /** A later subscribe request sent a newer link: this one confirms nothing. */
  | { kind: "superseded"; subscriber: Subscriber }
  | { kind: "rejected"; problem: TokenProblem };

/** What a confirmation link would do, changing nothing (GET and HEAD, which mail scanners send). */
export async function checkConfirmation(db: D1Database, config: Config, token: string | undefined, now: Date): Promise<ConfirmCheck> {
  const resolved = await resolveToken(db, config.signingSecret, token, "confirm", now);
  if (!resolved.ok) return { kind: "rejected", problem: resolved.problem };
  const { subscriber, claims } = resolved;
  const generation = claims.generation ?? 0;
  if (generation !== subscriber.confirmGeneration) return { kind: "superseded", subscriber };
  if (subscriber.status !== "pending") return { kind: "used", subscriber };
  return { kind: "ready", subscriber, generation };
}

/** Why a confirmation link confirms nothing. */
export type ConfirmRefusal = Exclude<ConfirmCheck, { kind: "ready" }>;

export type ConfirmResult = ConfirmRefusal | { kind: "confirmed"; subscriber: Subscriber };

/**
 * Confirms (a person's POST from the confirmation page): pending → active, only for the
 * link of the subscriber's current generation. Two confirmations at once activate once.
 */
export async function confirmSubscription(db: D1Database, config: Config, token: string | undefined, now: Date): Promise<ConfirmResult> {
  const check = await checkConfirmation(db, config, token, now);
  if (check.kind !== "ready") return check;
  const { subscriber, generation } = check;
  if (!(await activate(db, subscriber.id, generation, now))) {
    const current = await getSubscriberById(db, subscriber.id);
    if (!current) return { kind: "rejected", problem: "unknown-subscriber" };
    return current.confirmGeneration === generation ? { kind: "used", subscriber: current } : { kind: "superseded", subscriber: current };
  }
  return { kind: "confirmed", subscriber: { ...subscriber, status: "active", consentAt: now.toISOString() } };
}

export interface LeaveRequest {
  /** Leave only this digest; null: every digest. */
  digestId: string | null;
  /** Recorded with the event: "one-click", "unsubscribe page", "preferences". */
  how: string;
  /**
   * A person asked (a page's button): a reader who was receiving digests and now receives
   * none gets one last email saying so, with a way back. An RFC 8058 one-click POST comes
   * from the mailbox provider, not a person, and is never answered with an email.
   */
  notify: boolean;
}

export interface LeaveResult {
  /** The subscriber receives no digest any more. */
  unsubscribed: boolean;
  /** A goodbye email is due: hand it to the mail queue (sendGoodbye) before answering. */
  goodbyeDue: boolean;
}

/** Leaves one digest or every digest, at once. */
export async function leave(db: D1Database, subscriber: Subscriber, request: LeaveRequest, now: Date): Promise<LeaveResult> {
  let wasActive: boolean;
  let unsubscribed: boolean;
  if (request.digestId === null) {
    const before = await unsubscribe(db, subscriber.id, request.how, now);
    wasActive = before === "active";
    unsubscribed = true;
  } else {
    const result = await unsubscribeFromDigest(db, subscriber.id, request.digestId, request.how, now);
    unsubscribed = result?.status === "unsubscribed" || result === null;
    wasActive = subscriber.status === "active" && result?.status === "unsubscribed";
  }
  return { unsubscribed, goodbyeDue: request.notify && wasActive };
}

/** The goodbye email, with a way back; run by the mail queue's consumer (`mailKey` as for recordAndConfirm). */
export async function sendGoodbye(mailer: Mailer, subscriber: Subscriber, mailKey: string): Promise<void> {
  const { config } = mailer;
  const { preferencesUrl } = await recipientLinks(config.siteUrl, config.signingSecret, subscriber.id);
  const mail = await renderUnsubscribed({ siteUrl: config.siteUrl, mailFrom: config.mailFrom, resubscribeUrl: preferencesUrl });
  await sendEmail(
    mailer,
    { from: config.mailFrom, to: subscriber.email, ...mail, tags: [{ name: "category", value: "unsubscribed" }] },
    `goodbye/${mailKey}`,
  );
}
