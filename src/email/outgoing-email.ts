/** One email as the app hands it to a provider: Resend, or the local outbox in development. */
export interface OutgoingEmail {
  from: string;
  to: string;
  /** Where replies go (REPLY_TO); absent: to the sender. */
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

/**
 * One email whose content the provider already holds as a template (see
 * provider-templates.ts): a digest copy carries only its reader's variables (links),
 * so a batch of 100 is kilobytes, not megabytes.
 */
export interface TemplatedEmail extends Omit<OutgoingEmail, "html" | "text"> {
  template: { id: string; variables: Record<string, string> };
}

/** What a provider request carries: content inline, or a template's id and variables. */
export type ProviderEmail = OutgoingEmail | TemplatedEmail;
