/** Test helpers: real servers on 127.0.0.1 free ports, official clients, small waits. */
import { createServer, type Server as HttpServer, type ServerOptions as HttpServerOptions } from "node:http";
import type { AddressInfo } from "node:net";
import { io as ioc, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from "socket.io-client";
import { Server, type ServerOptions } from "@omnio/server";

export interface TestServer {
  io: Server;
  http: HttpServer;
  port: number;
  url: string;
  /** Official socket.io-client socket to this server (forceNew, no reconnection unless asked). */
  client(nsp?: string, opts?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  close(): Promise<void>;
}

/** Starts an omnio server on a free port of 127.0.0.1 (`httpOptions` go to `node:http`). */
export async function startServer(opts: ServerOptions = {}, httpOptions: HttpServerOptions = {}): Promise<TestServer> {
  const http = createServer(httpOptions);
  const io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const clients: ClientSocket[] = [];
  return {
    io,
    http,
    port,
    url,
    client(nsp = "/", o = {}) {
      const c = ioc(url + nsp, { forceNew: true, reconnection: false, ...o });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.disconnect();
      http.closeAllConnections?.();
      await io.close();
    },
  };
}

export { once, sleep } from "@omnio/testkit";
