/**
 * Helpers for the interop suite (`interop-*.test.ts`): an omnio server driven by the official
 * `socket.io-client`, over each of the three transport set-ups a browser can end up with.
 *
 * Set `INTEROP_REFERENCE=1` to run the same tests against the official `socket.io` server
 * instead: a test that fails there tests the wrong thing, not omnio.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  io as ioc,
  Manager,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from "socket.io-client";
import { Server, type ServerOptions, type Socket as ServerSocket } from "@omnio/server";
import { once, sleep } from "./servers.js";

/** How the client reaches the server. */
export type TransportMode = "websocket" | "polling" | "upgrade";

/** WebSocket only, long-polling only, and polling upgraded to WebSocket (the default). */
export const MODES: readonly TransportMode[] = ["websocket", "polling", "upgrade"];

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** Client options selecting the transports of `mode`. */
export function transportOptions(mode: TransportMode): ClientOptions {
  switch (mode) {
    case "websocket":
      return { transports: ["websocket"] };
    case "polling":
      return { transports: ["polling"] };
    case "upgrade":
      return { transports: ["polling", "websocket"], upgrade: true };
  }
}

/** True when the suite runs against the official server (see file comment). */
export const AGAINST_REFERENCE = process.env["INTEROP_REFERENCE"] === "1";

export interface InteropServer {
  io: Server;
  http: HttpServer;
  url: string;
  /** An official client socket (forceNew, no reconnection unless asked), not awaited. */
  client(nsp: string, mode: TransportMode, opts?: ClientOptions): ClientSocket;
  /** A Manager of its own, for multiplexing several namespaces on one connection. */
  manager(mode: TransportMode, opts?: ClientOptions): Manager;
  /**
   * A connected client socket. In `upgrade` mode, also waits until the connection has
   * moved to WebSocket, so the test exercises the upgraded transport.
   */
  connect(nsp: string, mode: TransportMode, opts?: ClientOptions): Promise<ClientSocket>;
  close(): Promise<void>;
}

/** Starts a server on a free port of 127.0.0.1. Close it in `finally`. */
export async function startInterop(opts: ServerOptions = {}): Promise<InteropServer> {
  const http = createServer();
  const io = AGAINST_REFERENCE ? await referenceServer(http, opts) : new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  const managers: Manager[] = [];
  const client = (nsp: string, mode: TransportMode, o: ClientOptions = {}): ClientSocket => {
    const c = ioc(url + nsp, { forceNew: true, reconnection: false, ...transportOptions(mode), ...o });
    clients.push(c);
    return c;
  };
  return {
    io,
    http,
    url,
    client,
    manager(mode, o = {}) {
      const m = new Manager(url, { reconnection: false, ...transportOptions(mode), ...o });
      managers.push(m);
      return m;
    },
    async connect(nsp, mode, o = {}) {
      const c = client(nsp, mode, o);
      await waitConnect(c);
      if (mode === "upgrade") await waitUpgrade(c);
      return c;
    },
    async close() {
      for (const c of clients) c.disconnect();
      // `_close()` also stops reconnection (closing the engine alone would trigger it).
      for (const m of managers) m._close();
      http.closeAllConnections();
      await io.close();
    },
  };
}

/**
 * The official server behind omnio's type: both have socket.io 4.x's API, and the tests
 * only use that API.
 */
async function referenceServer(http: HttpServer, opts: ServerOptions): Promise<Server> {
  const { Server: SioServer } = await import("socket.io");
  return new SioServer(http, opts as Record<string, unknown>) as unknown as Server;
}

/** Resolves on `connect`, rejects on `connect_error` or after `timeoutMs`. */
export function waitConnect(c: ClientSocket, timeoutMs = 10_000): Promise<void> {
  if (c.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for connect")), timeoutMs);
    const onConnect = (): void => {
      clearTimeout(timer);
      c.off("connect_error", onError);
      resolve();
    };
    const onError = (err: Error): void => {
      clearTimeout(timer);
      c.off("connect", onConnect);
      reject(err);
    };
    c.once("connect", onConnect);
    c.once("connect_error", onError);
  });
}

/** Resolves once the client's connection runs over WebSocket. */
export function waitUpgrade(c: ClientSocket, timeoutMs = 10_000): Promise<void> {
  const engine = c.io.engine;
  if (engine.transport.name === "websocket") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for the upgrade")), timeoutMs);
    engine.once("upgrade", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The server socket of the next connection on `nsp` (a Server or a Namespace). */
export function nextConnection(
  nsp: { once(ev: "connection", fn: (s: ServerSocket) => void): unknown },
  timeoutMs = 10_000,
): Promise<ServerSocket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for a server connection")), timeoutMs);
    nsp.once("connection", (s) => {
      clearTimeout(timer);
      resolve(s);
    });
  });
}

/**
 * Connects a client and returns it with its server socket.
 *
 * @example
 * const { client, socket } = await pair(srv, "/", "polling");
 */
export async function pair(
  srv: InteropServer,
  nsp: string,
  mode: TransportMode,
  opts: ClientOptions = {},
): Promise<{ client: ClientSocket; socket: ServerSocket }> {
  const conn = nextConnection(nsp === "/" ? srv.io : srv.io.of(nsp));
  const client = await srv.connect(nsp, mode, opts);
  const socket = await conn;
  return { client, socket };
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs` (10 s). */
export function next<T extends unknown[] = unknown[]>(
  emitter: Parameters<typeof once>[0],
  event: string,
  timeoutMs = 10_000,
): Promise<T> {
  return once<T>(emitter, event, timeoutMs);
}

/** Resolves once `cond()` holds (checked every 10 ms), or rejects after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}
