/**
 * A round-robin HTTP load balancer for tests: every HTTP request (not every TCP connection)
 * and every WebSocket upgrade goes to the next upstream in turn, like nginx's default
 * `upstream` without `ip_hash`. No stickiness of any kind.
 */
import { createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";

export interface RoundRobinProxy {
  readonly port: number;
  /** How many requests/upgrades each upstream got. */
  readonly hits: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const hits = upstreams.map(() => 0);
  const pick = (): number => {
    const i = next++ % upstreams.length;
    hits[i]!++;
    return upstreams[i]!;
  };
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers["connection"];
    const up = request(
      { host: "127.0.0.1", port: pick(), method: req.method, path: req.url, headers, agent: false },
      (upRes) => {
        const h = { ...upRes.headers };
        delete h["connection"];
        delete h["transfer-encoding"];
        res.writeHead(upRes.statusCode ?? 502, h);
        upRes.pipe(res);
        upRes.on("error", () => res.destroy());
      },
    );
    up.on("error", () => {
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      } else res.destroy();
    });
    res.on("close", () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => undefined);
    const up = connect({ host: "127.0.0.1", port: pick() }, () => {
      let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      up.write(text + "\r\n");
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on("error", () => socket.destroy());
    up.on("close", () => socket.destroy());
    socket.on("close", () => up.destroy());
  });
  // Per-request round robin also for clients that keep connections alive.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
