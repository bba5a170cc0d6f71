// A chat server written for socket.io 4.x. It never imports a server library itself: the
// caller passes the `Server` class, so the same code runs on socket.io and on @omnio/server.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { authenticate, DEMO_USERS } from "./auth.js";
import { registerChat } from "./chat.js";
import { request } from "./request.js";
import { renderStatusPage } from "./status-page.js";

const DEFAULTS = Object.freeze({
  /** Origins allowed to open a connection from a browser. */
  corsOrigin: ["http://localhost:5173"],
  /** Users by token. */
  users: DEMO_USERS,
  /** How long `rollcall` waits for every client (ms). */
  rollcallTimeout: 1000,
  /** How long a nudged user has to answer (ms). */
  nudgeTimeout: 2000,
  /** How long a room poll waits for every answer (ms). */
  pollTimeout: 2000,
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: 512 * 1024,
});

/**
 * Creates the app around `Server` (socket.io's or @omnio/server's).
 *
 * @example
 * const { Server } = await import("socket.io");
 * const app = createApp(Server);
 * const { port } = await app.listen(3000);
 */
export function createApp(Server, options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const startedAt = Date.now();

  const httpServer = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      res.end(renderStatusPage(io, startedAt));
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("not found\n");
  });

  const io = new Server(httpServer, {
    cors: { origin: opts.corsOrigin, credentials: true },
    // An upload travels as one binary attachment, base64-encoded (4/3 larger) over HTTP
    // long-polling: let the largest one through, with some headroom, so that the app (not
    // the transport) answers "file too large".
    maxHttpBufferSize: Math.ceil((opts.maxUploadBytes * 4) / 3) + 64 * 1024,
  });

  const auth = authenticate(opts.users);
  io.use(auth);
  const chat = io.of("/chat");
  chat.use(auth);
  registerChat(chat, opts);

  io.on("connection", (socket) => {
    socket.data.connectedAt = Date.now();

    socket.on(
      "whoami",
      request(() => socket.data.user),
    );

    // Everyone connected, as seen through `fetchSockets()` and `socket.data`.
    socket.on(
      "online",
      request(async () => (await io.fetchSockets()).map((s) => s.data.user.name).sort()),
    );

    // Asks every client to answer within `rollcallTimeout`; those who did are listed.
    socket.on(
      "rollcall",
      request(
        () =>
          new Promise((resolve) => {
            io.timeout(opts.rollcallTimeout).emit("rollcall", { from: socket.data.user.name }, (err, answers) => {
              resolve({ complete: !err, answers: [...answers].sort() });
            });
          }),
      ),
    );

    // Binary upload: the file comes back in the ack, with its size and checksum.
    socket.on(
      "upload",
      request(({ name, data }) => {
        if (typeof name !== "string" || !Buffer.isBuffer(data)) return { error: "expected { name, data: <binary> }" };
        if (data.length > opts.maxUploadBytes) return { error: "file too large" };
        return { name, size: data.length, sha256: createHash("sha256").update(data).digest("hex"), data };
      }),
    );
  });

  return {
    io,
    httpServer,
    /** Starts listening; resolves with the bound address (`port: 0` picks a free port). */
    listen(port = 3000, host = "0.0.0.0") {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve(httpServer.address());
        });
      });
    },
    /** Disconnects everyone and stops the HTTP server. */
    close() {
      return new Promise((resolve) => {
        io.close(() => resolve());
        httpServer.closeIdleConnections();
      });
    },
  };
}
