/**
 * End-to-end tests: Node drives headless Chromium (playwright-core) against a real
 * local Worker started by wrangler. Separate from vitest.config.ts, which runs the
 * suite inside workerd.
 *
 * A missing browser fails the run (test/e2e/global-setup.ts): `npm test` never turns
 * green by skipping the browser suite. SKIP_E2E=1 skips it on purpose, loudly.
 */
import { defineConfig } from "vitest/config";

const skip = process.env.SKIP_E2E === "1";
if (skip) console.warn("SKIP_E2E=1: the browser suite is skipped (CI never sets this)");

export default defineConfig({
  test: {
    include: skip ? [] : ["test/e2e/**/*.test.ts"],
    passWithNoTests: skip,
    globalSetup: skip ? [] : ["./test/e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
