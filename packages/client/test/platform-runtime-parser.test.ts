/**
 * The `parser` option inside real Bun and Deno (the root devDependencies): the client's runtime
 * entry with socket.io-msgpack-parser against the omnio server and the official socket.io 4.8.4
 * server with the same parser. Both runtimes resolve the parser to its Node build, which needs
 * binary as a `Buffer`: the platform hands the decoder one (`Platform.toParserBinary`).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import msgpackParser from "socket.io-msgpack-parser";
import { startSio } from "./support/sio.js";
import { SERVER_KINDS } from "./support/servers.js";
import { findRuntime, ROOT, RUNTIME_ENV, runtimeArgv, type RuntimeName } from "./runtimes/runtime-harness.js";

const SCENARIO = fileURLToPath(new URL("./runtimes/parser-scenario.js", import.meta.url));

async function run(runtime: RuntimeName, binary: string, url: string): Promise<Record<string, unknown>> {
  const child = spawn(binary, runtimeArgv(runtime, [SCENARIO, runtime, url]), { cwd: ROOT, env: RUNTIME_ENV });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await new Promise((resolve) => child.once("exit", resolve));
  clearTimeout(killer);
  const line = out.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `no result from ${runtime}; stderr: ${err}`);
  return JSON.parse(line) as Record<string, unknown>;
}

for (const [runtime, label] of [
  ["bun", "Bun"],
  ["deno", "Deno"],
] as const) {
  const found = findRuntime(runtime);
  describe(`msgpack parser under ${label}`, { skip: found.skip ?? false }, () => {
    for (const kind of SERVER_KINDS) {
      test(`[${kind}] binary up and down through socket.io-msgpack-parser`, async () => {
        const srv = await startSio(kind, { parser: msgpackParser });
        try {
          srv.io.on("connection", (s: any) => {
            // notepack sends a Uint8Array as its ArrayBuffer extension type: an ArrayBuffer arrives.
            s.on("up", (bytes: ArrayBuffer, ack: (v: number[]) => void) => ack([...new Uint8Array(bytes)]));
            s.on("down", (ack: (b: Buffer) => void) => ack(Buffer.from([7, 8, 9])));
          });
          const result = await run(runtime, found.path!, srv.url);
          assert.deepEqual(result, { up: [1, 2, 250], down: [7, 8, 9], downIsUint8Array: true });
        } finally {
          await srv.close();
        }
      });
    }
  });
}
