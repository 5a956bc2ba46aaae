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
