/**
 * Runs INSIDE Bun or Deno: the omnio server through its Node adapter (`node:http` + `ws`, both of
 * which these runtimes implement), on 127.0.0.1:<port>. `bun server-under-runtime.js <port>`.
 * Prints `listening <port>` once bound; answers `echo` through the ack (binary included),
 * broadcasts `shout` to everyone else in `room`, and reports its runtime in `whoami`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@omnio/server";

interface RuntimeGlobals {
  Deno?: { args: string[]; version: { deno: string } };
  Bun?: { version: string };
  process: { argv: string[]; exit(code: number): never; stdin: { on(e: string, f: () => void): void; resume(): void } };
}
const g = globalThis as unknown as RuntimeGlobals;
const args = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const runtime = g.Bun ? `bun ${g.Bun.version}` : g.Deno ? `deno ${g.Deno.version.deno}` : "node";

const http = createServer();
const io = new Server(http, { pingInterval: 2000, pingTimeout: 2000 });
io.on("connection", (socket) => {
  void socket.join("room");
  socket.on("whoami", (ack: (v: string) => void) => ack(runtime));
  socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
  socket.on("shout", (text: string) => socket.to("room").emit("shout", text));
});
http.listen(Number(args[0] ?? 0), "127.0.0.1", () => {
  console.log(`listening ${(http.address() as AddressInfo).port}`);
});
// Never outlive the test.
setTimeout(() => g.process.exit(0), 60_000);
