/**
 * Memory-sensitive attacks (reference §4: unbounded buffers are the other half of the CVE
 * history): a client that stops reading, sessions opened and abandoned, attachment floods.
 * Each runs in its own child process with `--expose-gc` (`fixtures/heap-scenario.ts`), which
 * checks that the server keeps serving a healthy client and that nothing went uncaught; here
 * we check that the heap, after GC, returns near its baseline once the hostile clients are
 * gone. The bound is generous on purpose: it catches leaks of the attack's size (tens of MB),
 * not noise. No timing assertions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./fixtures/heap-scenario.js", import.meta.url));
const SLACK_BYTES = 5 * 1024 * 1024;

interface Memory {
  heapUsed: number;
  /** Buffers live outside the V8 heap; a leaked frame shows here, not in heapUsed. */
  arrayBuffers: number;
}

interface Result {
  baseline: Memory;
  after: Memory;
  notes: Record<string, unknown>;
}

function runScenario(name: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", SCRIPT, name], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`scenario ${name} exited with ${code ?? signal}:\n${err}`));
        return;
      }
      const line = out.trim().split("\n").pop() ?? "";
      resolve(JSON.parse(line) as Result);
    });
  });
}

for (const [name, title] of [
  ["slow-reader", "clients that stop reading are dropped once maxWriteBufferSize is exceeded, and their buffers freed"],
  ["abandoned-sessions", "abandoned polling and WebSocket sessions die by ping timeout and leave nothing behind"],
  ["attachment-flood", "attachment floods are bounded and released when the connections go"],
] as const) {
  test(title, { timeout: 90_000 }, async () => {
    const { baseline, after, notes } = await runScenario(name);
    const mb = (n: number): string => (n / 1048576).toFixed(1) + " MB";
    for (const kind of ["heapUsed", "arrayBuffers"] as const) {
      assert.ok(
        after[kind] < baseline[kind] + SLACK_BYTES,
        `${kind} after the attack ${mb(after[kind])} vs baseline ${mb(baseline[kind])} (${JSON.stringify(notes)})`,
      );
    }
  });
}
