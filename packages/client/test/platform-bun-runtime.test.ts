/**
 * The built client (ESM dist, `@omnio/client/bun`) running inside a real Bun process (the
 * `bun` root devDependency), against the omnio server and the official socket.io 4.8.4
 * server started here on 127.0.0.1: connect, an ack, binary both ways, extraHeaders, and a
 * reconnection after the server is closed and started again on the same port. Bun's default
 * `binaryType` is reported too (the platform must cope with it).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertScenario, findRuntime, runScenario } from "./runtimes/runtime-harness.js";

const runtime = findRuntime("bun");
const MODES = [
  { name: "websocket", transports: "websocket", upgrade: false },
  { name: "polling", transports: "polling", upgrade: false },
  { name: "upgrade", transports: "polling,websocket", upgrade: true },
] as const;

describe("client under Bun", { skip: runtime.skip ?? false }, () => {
  for (const kind of ["omnio", "socket.io"] as const) {
    for (const mode of MODES) {
      test(`[${kind}, ${mode.name}] connect, ack, binary both ways, reconnect after a server restart`, async () => {
        const result = await runScenario("bun", runtime.path!, kind, mode.transports, mode.upgrade);
        assertScenario(result, "bun", mode.name);
      });
    }
  }

  test("the runtime's own WebSocket default binaryType is not arraybuffer (the platform sets it)", async () => {
    const result = await runScenario("bun", runtime.path!, "omnio", "websocket", false);
    assert.equal(result.steps[0]?.defaultBinaryType, "nodebuffer");
  });
});
