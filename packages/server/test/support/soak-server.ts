/**
 * The server side of the soak run (`support/soak.ts`), as its own process started with
 * `--expose-gc`: an omnio server on 127.0.0.1, driven and measured over the IPC channel.
 * Messages in: `"heap"` (gc, then report `heapUsed`), `"count"` (open sessions), `"close"`.
 */
import { startServer } from "./servers.js";

declare const gc: (() => void) | undefined;

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const srv = await startServer();
srv.io.on("connection", (socket) => {
  socket.on("join", (room: string, ack: () => void) => {
    void socket.join(room);
    ack();
  });
  socket.on("msg", (value: unknown, ack: (v: unknown) => void) => ack(value));
  // Broadcasts to a room; the ack lists who it was sent to, after the frames were queued.
  socket.on("shout", (room: string, n: number, ack: (ids: string[]) => void) => {
    srv.io.to(room).emit("news", n);
    ack([...(srv.io.of("/").adapter.rooms.get(room) ?? [])]);
  });
});
process.on("message", (msg: string) => {
  if (msg === "heap") void heapAfterGc().then((heapUsed) => process.send?.({ heapUsed }));
  else if (msg === "count") process.send?.({ count: srv.io.engine.clientsCount });
  else if (msg === "close") void srv.close().then(() => process.exit(0));
});
process.send?.({ port: srv.port });
