/**
 * Node tests: the project's Node tools. `npm run curate` and its modules (scripts/curate/) are
 * built on linkedom, readability, turndown and Node's full-ICU TextDecoder (GBK), none of
 * which belongs in the Worker; the import rules (scripts/import-rules.ts) and the docs' links
 * read the repository. Separate from vitest.config.ts, which runs the suite in workerd.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/node/**/*.test.ts"],
    // Worker threads start faster than the default child processes (~5 s less over the suite);
    // each file still gets its own, with its own modules.
    pool: "threads",
    testTimeout: 60_000,
  },
});
