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
  /** Responses with status 400 ("Session ID unknown" and other Engine.IO refusals). */
  readonly badRequests: { count: number };
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const hits = upstreams.map(() => 0);
  const badRequests = { count: 0 };
  const pick = (): number => {
    const i = next++ % upstreams.length;
    hits[i]!++;
    return upstreams[i]!;
  };
  // Like nginx (`proxy_next_upstream error`), an upstream that refuses the connection is
  // skipped and the request goes to the next one: bodies are read first so they can be resent.
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => send(Buffer.concat(chunks), upstreams.length));
    const send = (body: Buffer, attempts: number): void => {
      const headers = { ...req.headers };
      delete headers["connection"];
      const up = request(
        { host: "127.0.0.1", port: pick(), method: req.method, path: req.url, headers, agent: false },
        (upRes) => {
          const h = { ...upRes.headers };
          delete h["connection"];
          delete h["transfer-encoding"];
          if (upRes.statusCode === 400) badRequests.count++;
          res.writeHead(upRes.statusCode ?? 502, h);
          upRes.pipe(res);
          upRes.on("error", () => res.destroy());
        },
      );
      let connected = false;
      up.on("socket", (s) => s.once("connect", () => (connected = true)));
      up.on("error", () => {
        if (!connected && attempts > 1 && !res.destroyed) return send(body, attempts - 1);
        if (!res.headersSent) {
          res.writeHead(502);
          res.end();
        } else res.destroy();
      });
      res.on("close", () => {
        if (!res.writableFinished) up.destroy();
      });
      up.end(body);
    };
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => undefined);
    const attempt = (left: number): void => {
      let connected = false;
      const up = connect({ host: "127.0.0.1", port: pick() }, () => {
        connected = true;
        let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
        for (let i = 0; i < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
        up.write(text + "\r\n");
        if (head.length) up.write(head);
        up.pipe(socket);
        socket.pipe(up);
        up.on("close", () => socket.destroy());
        socket.on("close", () => up.destroy());
      });
      up.on("error", () => {
        if (!connected && left > 1) attempt(left - 1);
        else socket.destroy();
      });
    };
    attempt(upstreams.length);
  });
  // Per-request round robin also for clients that keep connections alive.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    badRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
