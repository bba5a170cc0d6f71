/** The load generator's connections, by group. */
import { BenchClient } from "./bench-client.js";
import type { ClientGroup, ConnectResult } from "../messages.js";

/** Longest wait for destroyed sockets to report their close. */
const CLOSE_WAIT_MS = 5_000;

export class ClientPool {
  readonly #groups = new Map<ClientGroup, BenchClient[]>();

  constructor(readonly url: string) {}

  /** Connected clients of `group`, oldest first. */
  group(group: ClientGroup): BenchClient[] {
    return (this.#groups.get(group) ?? []).filter((c) => c.state === "connected");
  }

  /** Connected clients of every group that is reading (not paused). */
  readers(): BenchClient[] {
    const all: BenchClient[] = [];
    for (const clients of this.#groups.values()) {
      for (const c of clients) if (c.state === "connected" && !c.ws.isPaused) all.push(c);
    }
    return all;
  }

  /** Opens `count` connections with at most `concurrency` handshakes in flight. */
  connect(count: number, concurrency: number, group: ClientGroup): Promise<Omit<ConnectResult, "cpuUs">> {
    const list = this.#groups.get(group) ?? [];
    this.#groups.set(group, list);
    const started = performance.now();
    let launched = 0;
    let opened = 0;
    let failed = 0;
    let firstError: string | undefined;
    return new Promise((resolve) => {
      const launch = (): void => {
        if (launched >= count) {
          if (opened + failed === count) {
            const result: Omit<ConnectResult, "cpuUs"> = { opened, failed, elapsedMs: performance.now() - started };
            if (firstError !== undefined) result.firstError = firstError;
            resolve(result);
          }
          return;
        }
        launched++;
        const client = new BenchClient(this.url, (error) => {
          if (error === undefined) {
            opened++;
          } else {
            failed++;
            firstError ??= error.message;
            client.ws.terminate();
          }
          launch();
        });
        list.push(client);
      };
      if (count <= 0) {
        resolve({ opened: 0, failed: 0, elapsedMs: 0 });
        return;
      }
      for (let i = 0; i < Math.min(concurrency, count); i++) launch();
    });
  }

  /** Stops reading on every connection of `group`; the kernel buffers fill, then the server's. */
  pause(group: ClientGroup): number {
    const clients = this.group(group);
    for (const c of clients) c.ws.pause();
    return clients.length;
  }

  /** Destroys the sockets of `group` (all groups when absent) and waits until they are closed. */
  async close(group?: ClientGroup): Promise<number> {
    const names = group === undefined ? [...this.#groups.keys()] : [group];
    const closing: Promise<void>[] = [];
    for (const name of names) {
      for (const client of this.#groups.get(name) ?? []) {
        if (client.state === "closed") continue;
        closing.push(new Promise((resolve) => client.ws.once("close", () => resolve())));
        client.ws.terminate();
      }
      this.#groups.delete(name);
    }
    // A paused socket may hold megabytes that ws still parses before it reports the close;
    // do not wait for that forever.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    await Promise.race([Promise.all(closing), timeout]);
    clearTimeout(timer);
    return closing.length;
  }
}
