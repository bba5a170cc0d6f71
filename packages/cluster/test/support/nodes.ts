/** Starts omnio node processes (test fixtures) and stops them. */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "@omnio/testkit";

export interface NodeProcess {
  readonly id: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly url: string;
  /** Stops the process (SIGKILL) and waits for it to exit. */
  kill(): Promise<void>;
}

/** Starts `script` with `env` and waits for its "ready" line. */
export function startProcess(
  script: string,
  env: Record<string, string>,
  readyWord = "ready",
  timeoutMs = 30000,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not start in ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes(readyWord)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready: ${out}`));
    });
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** Starts one forwarding node per id, on free ports, each knowing all the others. */
export async function startNodes(
  script: string,
  ids: string[],
  extraEnv: Record<string, string> = {},
): Promise<NodeProcess[]> {
  const ports = await Promise.all(ids.map(() => freePort()));
  const peers = Object.fromEntries(ids.map((id, i) => [id, `http://127.0.0.1:${ports[i]}`]));
  return Promise.all(
    ids.map(async (id, i) => {
      const port = ports[i]!;
      const child = await startProcess(script, {
        NODE_ID: id,
        PORT: String(port),
        PEERS: JSON.stringify(peers),
        SECRET: "a-test-secret-of-enough-length",
        ...extraEnv,
      });
      return { id, port, child, url: `http://127.0.0.1:${port}`, kill: () => stopProcess(child) };
    }),
  );
}
