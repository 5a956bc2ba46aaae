/** Renders the transactional emails of the subscribe flow (confirmation, welcome, unsubscribed). Pure, no I/O. */
import type { ConfirmSubscriptionProps } from "../../emails/confirm-subscription.tsx";
import type { UnsubscribedProps } from "../../emails/unsubscribed.tsx";
import type { WelcomeProps } from "../../emails/welcome.tsx";
import { renderEmail } from "./email-renderer.ts";

export interface RenderedTransactional {
  subject: string;
  html: string;
  text: string;
}

export async function renderConfirmation(props: ConfirmSubscriptionProps): Promise<RenderedTransactional> {
  const template = await import("../../emails/confirm-subscription.tsx");
  const { html, text } = await renderEmail(template.default, props);
  return { subject: template.confirmSubject(props.mailFrom), html, text };
}

export async function renderUnsubscribed(props: UnsubscribedProps): Promise<RenderedTransactional> {
  const template = await import("../../emails/unsubscribed.tsx");
  const { html, text } = await renderEmail(template.default, props);
  return { subject: template.unsubscribedSubject(props.mailFrom), html, text };
}

export async function renderWelcome(props: WelcomeProps): Promise<RenderedTransactional> {
  const template = await import("../../emails/welcome.tsx");
  const { html, text } = await renderEmail(template.default, props);
  return { subject: template.welcomeSubject(props.mailFrom), html, text };
}
