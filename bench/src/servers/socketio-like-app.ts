/**
 * The benchmark application for any server with socket.io 4.x's `Server` API. The `socketio`
 * and `omnio` targets run this same code; only the `Server` class they pass in differs.
 */
import { createServer } from "node:http";
import { readPort, listenLocal, serveControl } from "./control.js";

/** The part of a socket.io 4.x server-side `Socket` that the benchmark uses. */
export interface SocketLike {
  // `any[]`: listener arguments are whatever the client sent, as with socket.io's own typing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
}

/** The part of a socket.io 4.x `Server` instance that the benchmark uses. */
export interface ServerLike {
  on(event: "connection", listener: (socket: SocketLike) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(callback?: (error?: Error) => void): unknown;
}

/** Options passed to the server: the load generator only speaks the WebSocket transport. */
export interface ServerLikeOptions {
  transports: "websocket"[];
}

/** A class with socket.io 4.x's `new Server(httpServer, options)` constructor. */
export type ServerLikeClass = new (
  httpServer: ReturnType<typeof createServer>,
  options: ServerLikeOptions,
) => ServerLike;

/**
 * Starts the benchmark application on 127.0.0.1 and serves the runner's control protocol.
 *
 * - `echo` (acked): acknowledges with the payload it received.
 * - `bcast(t, size)`: `io.emit("tick", t, <size bytes of padding>)` to every connection; `t` is
 *   the load generator's timestamp, echoed back so it can measure delivery latency.
 */
export async function runSocketIoLikeServer(ServerClass: ServerLikeClass): Promise<void> {
  const port = readPort(process.argv, process.env);
  const httpServer = createServer();
  const io = new ServerClass(httpServer, { transports: ["websocket"] });
  // One padding string per size, shared by every broadcast of that size.
  const paddings = new Map<number, string>();
  const padding = (size: number): string => {
    let pad = paddings.get(size);
    if (pad === undefined) {
      pad = "x".repeat(size);
      paddings.set(size, pad);
    }
    return pad;
  };
  io.on("connection", (socket) => {
    socket.on("echo", (payload: unknown, ack: unknown) => {
      if (typeof ack === "function") ack(payload);
    });
    socket.on("bcast", (t: unknown, size: unknown) => {
      io.emit("tick", t, padding(typeof size === "number" && size >= 0 && size <= 1 << 20 ? size : 0));
    });
  });
  const bound = await listenLocal(httpServer, port);
  serveControl(
    bound,
    () =>
      new Promise<void>((resolve) => {
        // socket.io's close() also closes the attached HTTP server.
        io.close(() => resolve());
      }),
  );
}
