/** Test helpers: an omnio or an official socket.io server on 127.0.0.1, port 0. */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as OmnioServer } from "@omnio/server";
import { Server as SioServer } from "socket.io";
import { createNodePlatform } from "@omnio/client/node";
import type { Platform } from "@omnio/client";

export type ServerKind = "omnio" | "socket.io";
export const SERVER_KINDS: readonly ServerKind[] = ["omnio", "socket.io"];

/** The Engine.IO-level connection, as both servers expose it (`io.engine.on("connection")`). */
export interface ServerConn {
  id: string;
  transport: { name: string };
  on(event: string, listener: (...args: any[]) => void): unknown;
  once(event: string, listener: (...args: any[]) => void): unknown;
  send(data: string | Uint8Array): unknown;
  close(): unknown;
}

export interface TestServer {
  kind: ServerKind;
  url: string;
  port: number;
  http: HttpServer;
  /** Resolves with the next Engine.IO connection. */
  nextConnection(): Promise<ServerConn>;
  /** Resolves with the arguments of the next Socket.IO event `name` on the main namespace. */
  nextEvent<T extends unknown[]>(name: string): Promise<T>;
  close(): Promise<void>;
}

export interface ServerOptions {
  pingInterval?: number;
  pingTimeout?: number;
  transports?: ("polling" | "websocket")[];
  allowUpgrades?: boolean;
  cookie?: boolean | { name: string };
}

export async function startServer(kind: ServerKind, opts: ServerOptions = {}): Promise<TestServer> {
  const http = createServer();
  const io: any = kind === "omnio" ? new OmnioServer(http, opts) : new SioServer(http, opts);
  shortenEngineIoCloseTimeout(io);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const waiting: ((c: ServerConn) => void)[] = [];
  const pending: ServerConn[] = [];
  io.engine.on("connection", (conn: ServerConn) => {
    const w = waiting.shift();
    if (w) w(conn);
    else pending.push(conn);
  });
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    port,
    http,
    nextConnection() {
      const c = pending.shift();
      if (c) return Promise.resolve(c);
      return new Promise((resolve) => waiting.push(resolve));
    },
    nextEvent<T extends unknown[]>(name: string) {
      return new Promise<T>((resolve) => {
        io.once("connection", (socket: any) => socket.once(name, (...args: unknown[]) => resolve(args as T)));
      });
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        // omnio's close returns a promise and may not call back.
        setTimeout(resolve, 200);
      });
    },
  };
}

/**
 * engine.io closes a polling transport whose client went silent by waiting `closeTimeout`
 * (30 s, a ref'd timer that `io.close()` does not clear) for a GET that a dead client never
 * sends; the frozen-link tests would keep their process alive that long. Shortened here.
 */
export function shortenEngineIoCloseTimeout(io: any): void {
  io.engine.on("connection", (conn: { transport: { name: string; closeTimeout?: number } }) => {
    if (conn.transport.name === "polling" && typeof conn.transport.closeTimeout === "number") {
      conn.transport.closeTimeout = 200;
    }
  });
}

/** A Node platform; `ws` (installed at the root) is imported on first use. */
export function nodePlatform(): Platform {
  return createNodePlatform();
}

export { once, sleep } from "@omnio/testkit";
