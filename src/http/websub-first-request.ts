/**
 * The WebSub publish check on an isolate's first request, so subscribers hear of a new
 * content version right after a deploy rather than at the next maintenance cron. It runs
 * after the response (waitUntil): the request never waits on it, and later requests pay
 * one boolean test.
 */
import { getConfig } from "../config.ts";
import { currentFeedView } from "../digests/feed-updates.ts";
import { publishNewContent } from "../feeds/websub-publish.ts";
import { log } from "../log.ts";
import { factory, waitUntilOf } from "./app-env.ts";

let checked = false;

export const publishOnFirstRequest = factory.createMiddleware(async (c, next) => {
  if (!checked) {
    const waitUntil = waitUntilOf(c);
    if (!waitUntil) return next();
    checked = true;
    const publish = async () => publishNewContent(c.env, new Date(), currentFeedView(getConfig(c.env).feedPageSize));
    waitUntil(publish().catch((error: unknown) => log.error("websub-publish-failed", { error })));
  }
  await next();
});
