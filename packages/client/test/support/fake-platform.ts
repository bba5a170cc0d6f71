/** A deterministic platform: a manual clock, manual timers and scripted WebSocket connections. */
import type { Platform, PlatformSocket, SocketHandlers, SocketRequest, TimerHandle } from "@omnio/client";
import { standardToArrayBuffer } from "@omnio/client";

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export interface FakeConnection {
  request: SocketRequest;
  handlers: SocketHandlers;
  sent: (string | ArrayBuffer)[];
  closed: boolean;
}

export class FakePlatform implements Platform {
  readonly name = "fake";
  clock = 1_000_000;
  readonly connections: FakeConnection[] = [];
  #timers: Timer[] = [];
  #nextId = 1;
  readonly visibilityListeners = new Set<(visible: boolean) => void>();
  /** Network listeners currently registered (engine and Manager both listen). */
  readonly networkListeners = new Set<(online: boolean) => void>();
  readonly lifecycle = {
    onVisibilityChange: (listener: (visible: boolean) => void) => {
      this.visibilityListeners.add(listener);
      return () => this.visibilityListeners.delete(listener);
    },
    onNetworkChange: (listener: (online: boolean) => void) => {
      this.networkListeners.add(listener);
      return () => this.networkListeners.delete(listener);
    },
  };
  /** Reports the app as hidden (`false`) or visible again (`true`) to every listener. */
  visibility(visible: boolean): void {
    for (const listener of [...this.visibilityListeners]) listener(visible);
  }
  /** Reports the network as lost (`false`) or back (`true`) to every listener. */
  network(online: boolean): void {
    for (const listener of [...this.networkListeners]) listener(online);
  }
  readonly request: Platform["request"] = undefined;
  readonly createSocket = (request: SocketRequest, handlers: SocketHandlers): PlatformSocket => {
    const conn: FakeConnection = { request, handlers, sent: [], closed: false };
    this.connections.push(conn);
    return { send: (d) => conn.sent.push(d), close: () => (conn.closed = true) };
  };
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.clock + ms, fn };
    this.#timers.push(timer);
    return timer.id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  now(): number {
    return this.clock;
  }
  toArrayBuffer(data: unknown): ArrayBuffer | undefined {
    return standardToArrayBuffer(data);
  }
  /** Moves the clock forward, firing each timer at its own due time (an awake host). */
  advance(ms: number): void {
    const end = this.clock + ms;
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.clock = Math.max(this.clock, next.at);
      next.fn();
    }
    this.clock = end;
  }
  /** Moves the clock forward without firing timers (a suspended host). */
  suspend(ms: number): void {
    this.clock += ms;
  }
  /** Fires every overdue timer late, as a host does on wake-up. */
  wake(): void {
    const due = this.#timers.filter((t) => t.at <= this.clock);
    this.#timers = this.#timers.filter((t) => t.at > this.clock);
    for (const t of due) t.fn();
  }
}
