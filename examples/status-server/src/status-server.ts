/**
 * An omnio server with a live status page: `/` (HTML, numbers pushed over Socket.IO),
 * `/status.json`, and `/socket.io-client.min.js` (the official browser bundle).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { Server, type Socket } from "@omnio/server";
import { CLIENT_BUNDLE_PATH, renderPage } from "./page.js";
import { MessageRate, snapshot, type StatusSnapshot } from "./stats.js";

export type { NamespaceStatus, StatusSnapshot } from "./stats.js";

/** Options of {@link start}. */
export interface StatusServerOptions {
  /** TCP port; `0` picks a free one. @default 3000 */
  port?: number;
  /** Interface to listen on. @default "0.0.0.0" */
  host?: string;
  /** How often dashboards receive fresh numbers (and the message rate is measured), in ms. @default 1000 */
  intervalMs?: number;
}

const DEFAULTS: Readonly<Required<StatusServerOptions>> = Object.freeze({
  port: 3000,
  host: "0.0.0.0",
  intervalMs: 1000,
});

/** A running status server. */
export interface StatusServer {
  io: Server;
  httpServer: HttpServer;
  /** The port actually bound (useful with `port: 0`). */
  port: number;
  /** Where to open the page (`0.0.0.0` is shown as `127.0.0.1`). */
  url: string;
  /** The current numbers. */
  snapshot(): StatusSnapshot;
  /** Stops the ticker, disconnects every client and closes the HTTP server. */
  close(): Promise<void>;
}

/** Dashboards join this room; the shared ticker broadcasts `stats` to it. */
const WATCHERS = "watchers";

/**
 * The socket.io-client browser bundle. Its package's `exports` map does not list
 * `dist/socket.io.min.js`, so it is found next to the package's `package.json`, which is listed.
 */
function loadClientBundle(): Buffer {
  const pkg = createRequire(import.meta.url).resolve("socket.io-client/package.json");
  return readFileSync(join(dirname(pkg), "dist", "socket.io.min.js"));
}

/**
 * Starts the status server.
 *
 * @example
 * const server = await start({ port: 0, host: "127.0.0.1" });
 * console.log(server.url, server.snapshot().clients);
 * await server.close();
 */
export async function start(options: StatusServerOptions = {}): Promise<StatusServer> {
  const opts = { ...DEFAULTS, ...options };
  const startedAt = Date.now();
  const rate = new MessageRate(startedAt);
  const bundle = loadClientBundle();
  const page = renderPage();
  const current = (): StatusSnapshot => snapshot(io, rate, startedAt, Date.now());

  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) return send(res, 405, "text/plain; charset=utf-8", "method not allowed\n", head);
    if (pathname === "/") return send(res, 200, "text/html; charset=utf-8", page, head);
    if (pathname === "/status.json") return send(res, 200, "application/json", JSON.stringify(current()), head);
    if (pathname === CLIENT_BUNDLE_PATH) return send(res, 200, "text/javascript; charset=utf-8", bundle, head);
    send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
  });

  const io = new Server(httpServer);
  io.on("connection", (socket: Socket) => {
    socket.onAny(rate.count);
    socket.on("watch", (ack: unknown) => {
      void socket.join(WATCHERS);
      if (typeof ack === "function") ack(current());
    });
    socket.on("rtt", (ack: unknown) => {
      if (typeof ack === "function") ack();
    });
  });

  // One shared timer for every dashboard, as the numbers are the same for all.
  const ticker = setInterval(() => {
    rate.tick(Date.now());
    if (io.sockets.adapter.rooms.has(WATCHERS)) io.to(WATCHERS).emit("stats", current());
  }, opts.intervalMs);
  ticker.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(opts.port, opts.host, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(ticker);
    await io.close();
    throw err;
  }
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}/`;

  return {
    io,
    httpServer,
    port,
    url,
    snapshot: current,
    async close() {
      clearInterval(ticker);
      await io.close();
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(head ? undefined : body);
}
