/**
 * The client-under-a-runtime suite shared by the Bun and Deno test files: the built client (ESM
 * dist, `@omnio/client/<runtime>`) runs inside the real runtime against the omnio server and the
 * official socket.io 4.8.4 server started here on 127.0.0.1: connect, an ack, binary both ways,
 * extraHeaders, and a reconnection after the server is closed and started again on the same
 * port. The runtime's default WebSocket `binaryType` is checked too (the platform must cope).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertScenario, findRuntime, runScenario, type RuntimeName } from "./runtime-harness.js";

const MODES = [
  { name: "websocket", transports: "websocket", upgrade: false },
  { name: "polling", transports: "polling", upgrade: false },
  { name: "upgrade", transports: "polling,websocket", upgrade: true },
] as const;

/**
 * Registers the suite for one runtime; `label` is its display name ("Bun") and
 * `defaultBinaryType` what the runtime's own WebSocket reports before the platform sets it.
 */
export function describeClientUnder(name: RuntimeName, label: string, defaultBinaryType: string): void {
  const runtime = findRuntime(name);
  describe(`client under ${label}`, { skip: runtime.skip ?? false }, () => {
    for (const kind of ["omnio", "socket.io"] as const) {
      for (const mode of MODES) {
        test(`[${kind}, ${mode.name}] connect, ack, binary both ways, reconnect after a server restart`, async () => {
          const result = await runScenario(name, runtime.path!, kind, mode.transports, mode.upgrade);
          assertScenario(result, name, mode.name);
        });
      }
    }

    test("the runtime's own WebSocket default binaryType is not arraybuffer (the platform sets it)", async () => {
      const result = await runScenario(name, runtime.path!, "omnio", "websocket", false);
      assert.equal(result.steps[0]?.defaultBinaryType, defaultBinaryType);
    });
  });
}
