/**
 * End-to-end tests: Node drives headless Chromium (playwright-core) against a real
 * local Worker started by wrangler. Separate from vitest.config.ts, which runs the
 * suite inside workerd.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
