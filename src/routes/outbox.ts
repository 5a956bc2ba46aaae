/** Local outbox viewer, served only in development. */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const outbox = new Hono<AppEnv>();
