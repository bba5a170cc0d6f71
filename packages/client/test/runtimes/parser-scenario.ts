/**
 * Runs INSIDE Bun or Deno: `bun parser-scenario.js <runtime> <url>`. Connects with the
 * runtime's entry and socket.io-msgpack-parser (its Node build, as npm resolves it there), sends
 * binary up and asks for binary down, and prints one JSON line with what arrived; the Node test
 * asserts on it.
 */
import type { Socket } from "@omnio/client";
import msgpackParser from "socket.io-msgpack-parser";

interface RuntimeGlobals {
  Deno?: { args: string[]; exit(code: number): never };
  process?: { argv: string[]; exit(code: number): never };
}
const g = globalThis as unknown as RuntimeGlobals;
const [runtime = "", url = ""] = g.Deno ? g.Deno.args : g.process!.argv.slice(2);
const exit = (code: number): never => (g.Deno ? g.Deno.exit(code) : g.process!.exit(code));
const done = (result: Record<string, unknown>, code = 0): never => {
  console.log(JSON.stringify(result));
  return exit(code);
};
setTimeout(() => done({ error: "timeout" }, 2), 15_000);

const mod = (await import(runtime === "bun" ? "@omnio/client/bun" : "@omnio/client/deno")) as {
  io: (url: string, options: Record<string, unknown>) => Socket;
};
const socket = mod.io(url, { parser: msgpackParser, transports: ["websocket"], reconnection: false });
socket.on("connect_error", (error: Error) => done({ error: `connect_error: ${error.message}` }, 1));
socket.on("connect", async () => {
  try {
    const up: number[] = await socket.timeout(5000).emitWithAck("up", new Uint8Array([1, 2, 250]));
    const down: Uint8Array = await socket.timeout(5000).emitWithAck("down");
    socket.disconnect();
    done({ up, down: [...down], downIsUint8Array: down instanceof Uint8Array });
  } catch (error) {
    done({ error: String(error) }, 1);
  }
});
