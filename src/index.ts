/** Worker entry: wires the HTTP app, the cron trigger and the delivery queue. */
import { app } from "./app.ts";
import { queue } from "./delivery/queue-consumer.ts";
import { scheduled } from "./delivery/scheduled.ts";

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env>;
