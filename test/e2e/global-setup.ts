/** Fails the browser suite up front when Chromium is missing, saying how to install it. */
import { existsSync } from "node:fs";
import { CHROMIUM } from "./chromium.ts";

export default function checkChromium(): void {
  if (existsSync(CHROMIUM)) return;
  throw new Error(
    `Chromium not found at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium fonts-noto-cjk), ` +
      "set CHROMIUM_PATH, or run with SKIP_E2E=1 to skip the browser suite on purpose",
  );
}
