/**
 * A plain round-robin TCP load balancer on 127.0.0.1 (no stickiness): each new connection goes
 * to the next backend; a backend that refuses is skipped (as nginx does with a dead upstream).
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export class RoundRobinProxy {
  #next = 0;
  readonly #sockets = new Set<Socket>();
  /** Backend port chosen for each accepted connection, in order. */
  readonly picks: number[] = [];

  private constructor(
    readonly server: Server,
    readonly backends: number[],
  ) {}

  static async start(backends: number[]): Promise<RoundRobinProxy> {
    const server = createServer();
    const proxy = new RoundRobinProxy(server, backends);
    server.on("connection", (client) => proxy.#accept(client));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  #accept(client: Socket): void {
    this.#sockets.add(client);
    client.on("close", () => this.#sockets.delete(client));
    client.on("error", () => client.destroy());
    client.pause();
    this.#tryBackend(client, 0);
  }

  #tryBackend(client: Socket, attempt: number): void {
    if (attempt >= this.backends.length) {
      client.destroy();
      return;
    }
    const port = this.backends[this.#next++ % this.backends.length]!;
    const upstream = connect(port, "127.0.0.1");
    let connected = false;
    upstream.once("error", () => {
      upstream.destroy();
      if (!connected) this.#tryBackend(client, attempt + 1);
    });
    upstream.once("connect", () => {
      connected = true;
      this.picks.push(port);
      this.#sockets.add(upstream);
      upstream.on("close", () => {
        this.#sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
