/** Public subscriber flows: subscribe, confirm, unsubscribe (RFC 8058 one-click), preferences. */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const subscribe = new Hono<AppEnv>();
