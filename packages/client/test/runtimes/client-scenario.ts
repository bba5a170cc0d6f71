/**
 * Runs INSIDE Bun or Deno (not Node): `bun client-scenario.js <runtime> <url> <transports> [upgrade]`.
 * Imports the built client through its runtime entry (`@omnio/client/bun` or `/deno`), then
 * talks to the server the Node test started: connect, an ack, binary both ways, a reconnection
 * after the server restarts. Every result is one JSON line on stdout, read by the Node test;
 * assertions are made there, on what really happened here.
 */
import type { Platform, Socket } from "@omnio/client";

interface RuntimeGlobals {
  Deno?: { args: string[]; exit(code: number): never };
  process?: { argv: string[]; exit(code: number): never };
  WebSocket?: new (url: string) => { binaryType: string; close(): void };
}
const g = globalThis as unknown as RuntimeGlobals;
const args = g.Deno ? g.Deno.args : g.process!.argv.slice(2);
const [runtime = "", url = "", transportList = "websocket", upgradeArg = "no-upgrade"] = args;
const exit = (code: number): never => (g.Deno ? g.Deno.exit(code) : g.process!.exit(code));
const report = (step: string, data: Record<string, unknown> = {}): void =>
  console.log(JSON.stringify({ step, ...data }));
const bytes = (buffer: unknown): number[] | string =>
  buffer instanceof ArrayBuffer
    ? [...new Uint8Array(buffer)]
    : `not an ArrayBuffer: ${Object.prototype.toString.call(buffer)}`;

// Give up loudly rather than hang the test.
setTimeout(() => {
  report("timeout");
  exit(2);
}, 20_000);

const entry = runtime === "bun" ? "@omnio/client/bun" : "@omnio/client/deno";
const mod = (await import(entry)) as {
  io: (url: string, options: Record<string, unknown>) => Socket;
  createBunPlatform?: () => Platform;
  createDenoPlatform?: () => Platform;
};
const platform = (mod.createBunPlatform ?? mod.createDenoPlatform)!();
const probe = g.WebSocket
  ? new g.WebSocket(url.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket")
  : undefined;
report("start", {
  platform: platform.name,
  defaultBinaryType: probe?.binaryType ?? null,
  randomBytes: platform.randomBytes?.(16).length ?? null,
  blob: typeof platform.isBlob === "function" && platform.isBlob(new Blob([])),
});
probe?.close();

const socket = mod.io(url, {
  transports: transportList.split(","),
  upgrade: upgradeArg === "upgrade",
  extraHeaders: { "x-runtime": runtime },
  reconnectionDelay: 100,
  reconnectionDelayMax: 300,
  timeout: 5000,
});
let connects = 0;
socket.on("connect_error", (error: Error) => report("connect_error", { message: error.message }));
socket.on("disconnect", (reason: string) => report("disconnect", { reason }));
socket.on("connect", () => {
  connects++;
  void (connects === 1 ? firstSession() : secondSession()).catch((error: unknown) => {
    report("error", { message: error instanceof Error ? error.message : String(error) });
    exit(1);
  });
});

async function firstSession(): Promise<void> {
  const hello = await socket.timeout(5000).emitWithAck("hello", runtime);
  report("hello", { ack: hello, id: socket.id });
  // Up: a view with a non-zero offset and an ArrayBuffer nested in an object.
  const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
  const up = await socket.timeout(5000).emitWithAck("bin-up", view, { nested: new Uint8Array([7, 7]).buffer });
  report("bin-up", { ack: up });
  // A Blob emit: the platform reads it (Blob.arrayBuffer) before the packet is written.
  const blobUp = await socket.timeout(5000).emitWithAck("bin-up", new Blob([new Uint8Array([4, 5, 6])]), {
    nested: new Blob([new Uint8Array([8])]),
  });
  report("blob-up", { ack: blobUp });
  // Down: an event and an ack, each carrying binary.
  const down = new Promise<unknown[]>((resolve) =>
    socket.once("bin-down", (buffer: unknown, nested: { b: unknown }) => resolve([bytes(buffer), bytes(nested.b)])),
  );
  const ackBuffer = await socket.timeout(5000).emitWithAck("send-me-binary");
  report("bin-down", { event: await down, ack: bytes(ackBuffer) });
  report("ready-for-restart");
}

async function secondSession(): Promise<void> {
  const hello = await socket.timeout(5000).emitWithAck("hello", runtime);
  report("reconnected", { ack: hello, id: socket.id });
  socket.disconnect();
  report("done");
  exit(0);
}
