/** Digest list, previews, archive and web versions of editions. */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const digests = new Hono<AppEnv>();
