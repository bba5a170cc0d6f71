/**
 * A throwaway `redis-server` for tests: bound to 127.0.0.1 on the given port, no persistence.
 * Find the program with `requireProgram({ name: "redis-server", … })` first.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** Starts `redis-server` and resolves once it accepts connections (its output stays drained). */
export async function spawnRedisServer(program: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    program,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes("Ready to accept connections")) {
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return child;
}
