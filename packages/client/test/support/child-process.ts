/**
 * A test server in its own Node process (so it can be SIGKILLed and started again on the same
 * port): the script prints `listening <port>` once bound; every other stdout line goes to
 * `onLine`, before and after that.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** A started child and the port it listens on. */
export interface ListeningChild {
  proc: ChildProcess;
  port: number;
}

/** Starts `node script ...args`; resolves once it prints `listening <port>` (30 s at most). */
export function startListeningChild(
  script: string,
  args: string[],
  onLine: (line: string) => void = () => {},
): Promise<ListeningChild> {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise<ListeningChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error("the child server did not start within 30 s"));
    }, 30_000);
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      let newline;
      while ((newline = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        const listening = /^listening (\d+)$/.exec(line);
        if (listening) {
          clearTimeout(timer);
          resolve({ proc, port: Number(listening[1]) });
        } else onLine(line);
      }
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the child server exited (${code ?? signal}) before listening`));
    });
  });
}

/** SIGKILL (no chance to close anything) and wait for the process to be gone. */
export async function killChild(child: ListeningChild | undefined): Promise<void> {
  if (child === undefined || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => child.proc.once("exit", resolve));
  child.proc.kill("SIGKILL");
  await exited;
}
