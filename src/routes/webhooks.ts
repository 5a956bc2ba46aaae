/** Provider webhooks (Resend bounces and complaints). */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const webhooks = new Hono<AppEnv>();
