/** Captures the real Worker's responses and builds the constant Worker that replays them. */
import type { ConstantResponse } from "../constant-worker.ts";
import { benchConfig, buildWorker, type Build } from "./build.ts";

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

/** The constant Worker, its RESPONSES var holding the captured bytes. */
export async function buildConstantWorker(responses: Record<string, ConstantResponse>): Promise<ConstantWorker> {
  const configPath = benchConfig("constant", "constant-worker.ts", { RESPONSES: responses });
  return { configPath, build: await buildWorker("constant", configPath) };
}
