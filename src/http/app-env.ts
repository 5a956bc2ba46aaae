/**
 * The app's context type and the factory every route and middleware is built with, in a
 * leaf module: routes and src/http import it without importing the app that mounts them.
 */
import type { Context } from "hono";
import { createFactory } from "hono/factory";
import type { Config } from "../config.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The Worker's settings for this request (src/http/request-config.ts), read once. */
    config: Config;
  };
}

export const factory = createFactory<AppEnv>();

/**
 * Work to finish after the response (ExecutionContext.waitUntil); null when the request
 * came without an execution context (app.request in a test), where nothing can outlive it.
 */
export function waitUntilOf<E extends AppEnv>(c: Context<E>): ((promise: Promise<unknown>) => void) | null {
  try {
    const context = c.executionCtx;
    return (promise) => context.waitUntil(promise);
  } catch {
    return null;
  }
}
