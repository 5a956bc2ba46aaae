/**
 * The app's context type and the factory every route and middleware is built with, in a
 * leaf module: routes and src/http import it without importing the app that mounts them.
 */
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
