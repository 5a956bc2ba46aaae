/** RSS 2.0, Atom 1.0 and JSON Feed 1.1, for the whole site and per tag. */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export const feeds = new Hono<AppEnv>();
