/** Socket.IO-level test helpers: an omnio or socket.io server with its `io` object, and client modes. */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as OmnioServer } from "@omnio/server";
import { Server as SioServer } from "socket.io";
import type { TransportName } from "@omnio/client";
import { shortenEngineIoCloseTimeout, type ServerKind } from "./servers.js";

export interface SioTestServer {
  kind: ServerKind;
  url: string;
  /** The Socket.IO server (`io`), same API on both. */
  io: any;
  http: HttpServer;
  /** Engine.IO connections opened so far. */
  engineConnections(): number;
  close(): Promise<void>;
}

export async function startSio(kind: ServerKind, opts: Record<string, unknown> = {}): Promise<SioTestServer> {
  const http = createServer();
  const io: any = kind === "omnio" ? new OmnioServer(http, opts) : new SioServer(http, opts);
  shortenEngineIoCloseTimeout(io);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  let count = 0;
  io.engine.on("connection", () => count++);
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    io,
    http,
    engineConnections: () => count,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        io.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

export interface Mode {
  name: string;
  transports: TransportName[];
  upgrade: boolean;
}
export const MODES: readonly Mode[] = [
  { name: "websocket", transports: ["websocket"], upgrade: false },
  { name: "polling", transports: ["polling"], upgrade: false },
  { name: "upgrade", transports: ["polling", "websocket"], upgrade: true },
];

/** Resolves with the next server-side `connection` socket on namespace `nsp`. */
export function nextServerSocket(io: any, nsp = "/"): Promise<any> {
  return new Promise((resolve) => io.of(nsp).once("connection", resolve));
}

/** Waits until `predicate` holds (polling every 5 ms), failing after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
