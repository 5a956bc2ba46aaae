/** Operator API to open, inspect and retry digest sends (bearer ADMIN_TOKEN). */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const sends = new Hono<AppEnv>();
