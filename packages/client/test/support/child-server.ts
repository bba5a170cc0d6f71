/**
 * A Socket.IO server in its own process, for the restart tests: `node child-server.js <omnio|socket.io> <port>`.
 * Prints `listening <port>` once bound to 127.0.0.1; echoes `echo` through the ack; greets each connection.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as OmnioServer } from "@omnio/server";
import { Server as SioServer } from "socket.io";

const [kind = "omnio", portArg = "0"] = process.argv.slice(2);
const http = createServer();
const io: any = kind === "omnio" ? new OmnioServer(http) : new SioServer(http);
io.on("connection", (socket: any) => {
  socket.emit("hello", process.pid);
  socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
});
http.listen(Number(portArg), "127.0.0.1", () => {
  process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`);
});
// The parent kills this process. Should the parent die first, its end of stdin closes: leave too.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
// Never outlive a test run, whatever happens.
setTimeout(() => process.exit(0), 60_000).unref();
