/**
 * A throwaway `redis-server` on a free port (no persistence), which a test can kill (SIGKILL)
 * and start again on the same port.
 */
import type { ChildProcess } from "node:child_process";
import { freePort, requireProgram, spawnRedisServer } from "@omnio/testkit";
import { Redis } from "ioredis";

export const redisProgram = requireProgram({
  name: "redis-server",
  install: "apt-get install -y redis-server",
  what: "The Redis adapter tests",
});

export class RedisProcess {
  #child: ChildProcess | undefined;
  readonly #clients: Redis[] = [];

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    const r = new RedisProcess(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#child = await spawnRedisServer(redisProgram.path!, this.port);
  }

  /** SIGKILL, and wait for the exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  /** A client for the test itself (closed by stop()). */
  client(): Redis {
    const c = new Redis(this.port, "127.0.0.1", { lazyConnect: false, maxRetriesPerRequest: 2 });
    c.on("error", () => {});
    this.#clients.push(c);
    return c;
  }

  async stop(): Promise<void> {
    for (const c of this.#clients) c.disconnect();
    await this.kill();
  }
}
