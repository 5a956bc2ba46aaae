declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import("../src/index.ts");
  }
}

/** Vite's `?raw` suffix imports a file as its text (used for test fixtures). */
declare module "*?raw" {
  const text: string;
  export default text;
}

/** `sax` ships no types; the Worker aliases it to src/stubs/sax-stub.cjs (test/bundle-stubs.test.ts). */
declare module "sax" {
  export function parser(strict: boolean, options: object): unknown;
}
