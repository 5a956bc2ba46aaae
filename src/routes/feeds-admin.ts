/** Operator API over the feeds' readers (bearer ADMIN_TOKEN): the numbers the console's dashboard shows. */
import { feedReaders } from "../feeds/audience-store.ts";
import { requireAdmin } from "../http/admin-auth.ts";
import { factory } from "../http/app-env.ts";

export const feedsAdmin = factory.createApp();
feedsAdmin.use("*", requireAdmin);

feedsAdmin.get("/audience", async (c) => c.json(await feedReaders(c.env.DB, new Date())));
