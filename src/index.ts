/** Worker entry: wires the HTTP app, the cron trigger and the delivery queue. */
import { app } from "./app.ts";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
