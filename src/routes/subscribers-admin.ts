/** Operator API over subscribers (bearer ADMIN_TOKEN). */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const subscribersAdmin = new Hono<AppEnv>();
