/**
 * Servers under test. Every server listens on 127.0.0.1, port 0, and is closed by the test
 * that started it (`withServer` closes it in `finally`).
 *
 * Set `CONFORMANCE_TARGET=socket.io` to run the same tests against the official
 * `socket.io` 4.8.4 package (installed at the monorepo root): that is how these tests
 * were checked against the reference behaviour. The default target is omnio.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "@omnio/server";
import { RawEngine } from "./raw.js";

export const TARGET: "omnio" | "socket.io" = process.env["CONFORMANCE_TARGET"] === "socket.io" ? "socket.io" : "omnio";

export interface TestServer {
  /** The Socket.IO server (omnio's type; the official one has the same shape for what tests use). */
  io: Server;
  http: HttpServer;
  port: number;
  /** A raw Engine.IO client for `path` (default `/socket.io/`). */
  raw: RawEngine;
  close(): Promise<void>;
}

/** Starts a Socket.IO server on 127.0.0.1 with `opts`. */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  // Requests outside the engine path reach this listener (both servers keep it): 404.
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  let io: Server;
  if (TARGET === "socket.io") {
    // The official package, loaded only on request; its types are not needed here. `any`
    // because it is the other implementation's object, used through the shared API.
    const name = "socket.io";
    const mod = (await import(name)) as { Server: new (srv: HttpServer, o: unknown) => any };
    io = new mod.Server(http, opts) as Server;
  } else io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  let path = opts.path ?? "/socket.io";
  if (opts.addTrailingSlash !== false) path = path.replace(/\/?$/, "/");
  return {
    io,
    http,
    port,
    raw: new RawEngine(port, path),
    async close() {
      http.closeAllConnections();
      await io.close();
      http.closeAllConnections();
    },
  };
}

/** Starts a server, runs `fn`, always closes the server. */
export async function withServer(opts: ServerOptions, fn: (srv: TestServer) => Promise<void>): Promise<void> {
  const srv = await startServer(opts);
  try {
    await fn(srv);
  } finally {
    await srv.close();
  }
}
