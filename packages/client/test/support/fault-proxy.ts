/**
 * A loopback TCP proxy between a client and a server for fault injection: it can freeze the
 * link (no bytes either way, sockets stay open, as a dead NAT or a yanked cable looks), drop
 * every connection, and refuse new ones. Bounded: past `maxConnections` open connections a new
 * one is closed at once. Always `close()` it in a `finally`.
 */
import { connect, createServer, type AddressInfo, type Socket } from "node:net";

export interface FaultProxy {
  /** `http://127.0.0.1:<proxy port>`. */
  url: string;
  port: number;
  /** Connections forwarded so far (refused ones not included). */
  readonly connections: number;
  /** Connections closed on arrival by `refuse()` (or the bound). */
  readonly refused: number;
  /** Connections open now. */
  readonly open: number;
  /** Stops forwarding in both directions; sockets stay open and closes are not passed on. New connections start frozen. */
  freeze(): void;
  /** Forwards again what was held back, then everything that follows. */
  resume(): void;
  /** Destroys every current connection (both sides see the TCP connection end). */
  drop(): void;
  /** Closes each new connection as soon as it arrives (a server that is down). */
  refuse(): void;
  /** Forwards new connections again after `refuse()`. */
  accept(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** Starts a proxy on 127.0.0.1 (free port) to `127.0.0.1:targetPort`. */
export async function startFaultProxy(targetPort: number, { maxConnections = 64 } = {}): Promise<FaultProxy> {
  let frozen = false;
  let refusing = false;
  let connections = 0;
  let refused = 0;
  const pairs = new Set<Pair>();

  const server = createServer((client) => {
    client.on("error", () => client.destroy());
    if (refusing || pairs.size >= maxConnections) {
      refused++;
      client.destroy();
      return;
    }
    connections++;
    const upstream = connect(targetPort, "127.0.0.1");
    const pair = { client, upstream };
    pairs.add(pair);
    forward(client, upstream);
    forward(upstream, client);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // While frozen, a close is held back too (a frozen link reports nothing); see `resume()`.
    for (const s of [client, upstream]) {
      s.on("error", () => undefined);
      s.on("close", () => (frozen ? undefined : end()));
    }
  });

  /** Copies `from` → `to`; a frozen link pauses reading, so bytes wait in the kernel buffers. */
  function forward(from: Socket, to: Socket): void {
    if (frozen) from.pause();
    from.on("data", (chunk) => {
      if (!to.destroyed) to.write(chunk);
    });
    if (frozen) from.pause();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get refused() {
      return refused;
    },
    get open() {
      return pairs.size;
    },
    freeze() {
      frozen = true;
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    resume() {
      frozen = false;
      for (const pair of [...pairs]) {
        const { client, upstream } = pair;
        if (client.destroyed || upstream.destroyed) {
          // A side closed while frozen: pass the close on now.
          pairs.delete(pair);
          client.destroy();
          upstream.destroy();
          continue;
        }
        client.resume();
        upstream.resume();
      }
    },
    drop() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    refuse() {
      refusing = true;
    },
    accept() {
      refusing = false;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
