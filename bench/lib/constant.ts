/** Captures the real Worker's responses and builds the constant Worker that replays them. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConstantResponse } from "../constant-worker.ts";
import { productionBuild, ROOT, tempDir, type Build } from "./build.ts";

/** Headers that describe the connection, not the resource: the runtime sets them itself. */
const HOP_HEADERS = new Set(["content-length", "date", "connection", "keep-alive", "transfer-encoding"]);

function plainHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => !HOP_HEADERS.has(name)));
}

export async function captureResponse(base: URL, path: string): Promise<ConstantResponse> {
  const response = await fetch(new URL(path, base));
  const captured: ConstantResponse = {
    status: response.status,
    headers: plainHeaders(response.headers),
    body: await response.text(),
  };
  const etag = response.headers.get("etag");
  if (etag) {
    const revalidated = await fetch(new URL(path, base), { headers: { "if-none-match": etag } });
    await revalidated.arrayBuffer();
    if (revalidated.status === 304) captured.notModified = { etag, headers: plainHeaders(revalidated.headers) };
  }
  return captured;
}

export interface ConstantWorker {
  configPath: string;
  build: Build;
}

/** A wrangler config (usable by `wrangler dev` too) whose RESPONSES var holds the captured bytes. */
export async function buildConstantWorker(responses: Record<string, ConstantResponse>): Promise<ConstantWorker> {
  const dir = tempDir("constant-config");
  const configPath = join(dir, "wrangler.json");
  const config = {
    name: "bench-constant",
    main: join(ROOT, "bench/constant-worker.ts"),
    compatibility_date: "2026-04-20",
    minify: true,
    vars: { RESPONSES: responses },
  };
  writeFileSync(configPath, JSON.stringify(config));
  return { configPath, build: await productionBuild("constant", configPath) };
}
