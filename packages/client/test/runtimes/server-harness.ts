/**
 * Node side of the "omnio server under Bun/Deno" tests: spawns `server-under-runtime.js` in the
 * runtime on a free 127.0.0.1 port and waits for its `listening` line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { RUNTIME_ENV, type RuntimeName } from "./runtime-harness.js";

const SCRIPT = fileURLToPath(new URL("./server-under-runtime.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export interface RuntimeServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRuntimeServer(runtime: RuntimeName, binary: string): Promise<RuntimeServer> {
  const argv =
    runtime === "bun"
      ? [SCRIPT, "0"]
      : [
          "run",
          "--allow-net=127.0.0.1",
          "--allow-read",
          "--allow-env",
          "--allow-sys",
          "--no-prompt",
          "--no-lock",
          SCRIPT,
          "0",
        ];
  const child = spawn(binary, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: RUNTIME_ENV });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${runtime} server did not start: ${stderr}`)), 20_000);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`${runtime} server exited with ${code}: ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
