/**
 * Where mail goes: Resend when RESEND_API_KEY is set, otherwise the local outbox
 * table (viewable at /outbox in development).
 */
import type { Resend } from "resend";
import type { Config } from "../config.ts";
import { insertOutboxMessages } from "./outbox-store.ts";
import type { OutgoingEmail } from "./outgoing-email.ts";

export class MailerError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "MailerError";
  }
}

/**
 * The Resend SDK, loaded on first use: feed and page requests never need it, and a cold
 * isolate that does not evaluate it (with its two dozen resource classes) starts sooner.
 */
export const loadResend = async (): Promise<typeof Resend> => (await import("resend")).Resend;

/** The Resend SDK client for the configured key and optional base URL (staging or a test double). */
export async function resendClient(resend: NonNullable<Config["resend"]>): Promise<Resend> {
  const ResendSdk = await loadResend();
  return new ResendSdk(resend.apiKey, resend.baseUrl ? { baseUrl: resend.baseUrl } : {});
}

/** The shape Resend's API takes for one email (also each entry of a batch). */
export function toResendEmail(email: OutgoingEmail) {
  return {
    from: email.from,
    to: email.to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    html: email.html,
    text: email.text,
    ...(email.headers ? { headers: email.headers } : {}),
    ...(email.tags ? { tags: email.tags } : {}),
  };
}

/** Sends one transactional email (confirmation, test copy), with the configured Reply-To unless it names one. */
export async function sendEmail(
  db: D1Database,
  config: Config,
  outgoing: OutgoingEmail,
  idempotencyKey?: string,
): Promise<void> {
  const email = config.replyTo && !outgoing.replyTo ? { ...outgoing, replyTo: config.replyTo } : outgoing;
  if (!config.resend) {
    await insertOutboxMessages(db, [{ email, idempotencyKey: idempotencyKey ?? null }], new Date());
    return;
  }
  const { error } = await (await resendClient(config.resend)).emails.send(toResendEmail(email), idempotencyKey ? { idempotencyKey } : {});
  if (error) throw new MailerError(`Resend rejected the email: ${error.message}`, null);
}
