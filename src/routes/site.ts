/** HTML pages: home and articles. */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { items } from "../content/collection.ts";

export const site = new Hono<AppEnv>();

site.get("/", (c) => c.html(`<!doctype html><html lang="zh-CN"><body>${items.length} items</body></html>`));
