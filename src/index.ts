/** Worker entry: wires the HTTP app, the cron trigger, the queues and the provider's window. */
import { app } from "./app.ts";
import { queue as deliveryQueue } from "./delivery/queue-consumer.ts";
import { scheduled } from "./delivery/scheduled.ts";
import type { SendWindow } from "./email/pacer.ts";
import { sharedWindow } from "./email/provider-window.ts";
import { MAIL_QUEUES, mailQueue } from "./subscribers/mail-queue.ts";

export { ProviderWindow } from "./email/provider-window.ts";

export default {
  fetch: app.fetch,
  scheduled,
  /** Every queue sends through the account's one window; tests pass a Pacer on a fake clock. */
  queue: (batch, env, _ctx, window: SendWindow = sharedWindow(env)) =>
    MAIL_QUEUES.has(batch.queue) ? mailQueue(batch, env, window) : deliveryQueue(batch, env, window),
} satisfies ExportedHandler<Env>;
