/** `wrangler dev` as users run it, in its own process group so stopping it stops workerd too. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { SOURCE, tempDir, WRANGLER, wranglerEnv } from "./build.ts";

/** Process groups of the dev servers still running: killed if the benchmark exits early. */
const running = new Set<number>();
process.on("exit", () => {
  for (const group of running) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

export interface DevServer {
  url: URL;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitUntilServing(url: URL, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`wrangler dev did not answer on ${url.href} within ${timeoutMs / 1000} s:\n${output()}`);
}

export async function startWranglerDev(configPath: string, vars: Record<string, string> = {}): Promise<DevServer> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [WRANGLER, "dev", "--config", configPath, "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(inspectorPort), "--persist-to", tempDir("dev-state"), "--log-level", "warn");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, args, { cwd: SOURCE, env: wranglerEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  running.add(child.pid!);
  const url = new URL(`http://127.0.0.1:${port}/`);
  const stop = async () => {
    running.delete(child.pid!);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  };
  try {
    await waitUntilServing(url, child, () => output, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
