/** Builds the Hono app: one error handler, one sub-app per resource. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError } from "./http/api-error.ts";
import { site } from "./routes/site.ts";
import { feeds } from "./routes/feeds.ts";

export type AppEnv = { Bindings: Env };

export const app = new Hono<AppEnv>();

app.route("/", feeds);
app.route("/", site);

app.notFound((c) => c.json(new ApiError(404, "not_found", `no route for ${c.req.method} ${c.req.path}`), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json(err, err.status, err.headers);
  if (err instanceof HTTPException) {
    const status = err.status;
    return c.json(new ApiError(status, "http_error", err.message || "request rejected"), status);
  }
  console.error(`unhandled error on ${c.req.method} ${c.req.path}:`, err);
  return c.text("Internal Server Error", 500);
});
