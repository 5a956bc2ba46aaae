import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { unstable_readConfig } from "wrangler";
import { defineConfig } from "vitest/config";

/**
 * wrangler.toml [alias] (stubs for packages the Worker never calls), applied to tests
 * too: the pool does not read it, and tests must run the modules the bundle ships.
 */
function wranglerAliases(configPath: string) {
  const { alias = {} } = unstable_readConfig({ config: configPath });
  return Object.entries(alias).map(([name, target]) => ({
    find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`),
    replacement: path.resolve(path.dirname(configPath), String(target)),
  }));
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    resolve: { alias: wranglerAliases(path.join(import.meta.dirname, "wrangler.toml")) },
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Test-only binding: test/fresh-file-state.ts applies the real migrations.
          bindings: {
            TEST_MIGRATIONS: migrations,
            ENVIRONMENT: "test",
            // Outside development links never follow the request's Host: tests get a SITE_URL
            // equal to the origin they request, so links read as they would in production.
            SITE_URL: "http://example.com",
            // "test" is not "development", so secrets are required, and must be strong, as in production.
            SIGNING_SECRET: "test-signing-secret-of-at-least-32-bytes",
            ADMIN_TOKEN: "test-admin-token-of-at-least-32-bytes",
            // standardwebhooks format: "whsec_" + base64 key.
            RESEND_WEBHOOK_SECRET: "whsec_dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTMyYnl0ZXM=",
          },
        },
      }),
    ],
    test: {
      // One workerd runtime for all files (a runtime per file spent ~2.5 s of CPU starting):
      // test/fresh-file-state.ts gives each file the fresh modules, Durable Objects, migrated D1
      // and settled queues a runtime of its own had.
      isolate: false,
      setupFiles: ["./test/fresh-file-state.ts"],
      include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
      exclude: ["test/e2e/**", "test/node/**"],
      // Correctness only: timing targets live in `npm run bench`. A loaded 2-core machine can
      // take several seconds for a test that runs the cron, the queue and the renderer.
      testTimeout: 20_000,
      // sanitize-html (the content build's sanitizer, src/content/sanitize-html.ts) is CommonJS that loads
      // postcss; prebundled by esbuild, the real sanitizer runs in the pool like in the build.
      deps: { optimizer: { ssr: { enabled: true, include: ["sanitize-html"] } } },
    },
  };
});
