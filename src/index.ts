/** Worker entry: wires the HTTP app, the cron trigger and the delivery queue. */
import { app } from "./app.ts";
import { queue } from "./delivery/queue-consumer.ts";
import { scheduled } from "./delivery/scheduled.ts";
import { respondPrepared } from "./http/prepared-responses.ts";

export default {
  // Feeds and pages already prepared for this URL skip the router (src/http/prepared-responses.ts).
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => respondPrepared(request, env) ?? app.fetch(request, env, ctx),
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
