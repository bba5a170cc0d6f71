/** The numbers the status page shows, read from a running omnio `Server`. */
import type { Server } from "@omnio/server";

/** One namespace's share of the numbers. */
export interface NamespaceStatus {
  name: string;
  /** Sockets connected to the namespace. */
  sockets: number;
  /** Rooms with at least one member, not counting each socket's own room. */
  rooms: number;
}

/** What `/status.json` answers and what dashboards receive as `stats`. */
export interface StatusSnapshot {
  /** Engine.IO connections (one per client, whatever the number of namespaces it joined). */
  clients: number;
  namespaces: NamespaceStatus[];
  /** Rooms over every namespace. */
  rooms: number;
  /** Socket.IO events received from clients per second, over the last measuring interval. */
  messagesPerSecond: number;
  /** Socket.IO events received since the start. */
  totalMessages: number;
  uptimeSeconds: number;
  /** Process memory, in bytes. */
  memory: { rss: number; heapUsed: number; heapTotal: number };
  /** When the snapshot was taken (ms since the epoch). */
  time: number;
}

/** Counts received events and turns the count into a per-second rate at each `tick`. */
export class MessageRate {
  total = 0;
  perSecond = 0;
  #lastTotal = 0;
  #lastTick: number;

  constructor(now: number) {
    this.#lastTick = now;
  }

  /** One more event received. Bound, so it can be handed to `socket.onAny` as is. */
  readonly count = (): void => {
    this.total++;
  };

  /** Closes the current interval: `perSecond` becomes its rate. */
  tick(now: number): void {
    const elapsed = now - this.#lastTick;
    if (elapsed <= 0) return;
    this.perSecond = Math.round(((this.total - this.#lastTotal) * 1000) / elapsed);
    this.#lastTotal = this.total;
    this.#lastTick = now;
  }
}

/** Reads the current numbers of `io`. */
export function snapshot(io: Server, rate: MessageRate, startedAt: number, now: number): StatusSnapshot {
  const namespaces: NamespaceStatus[] = [];
  let rooms = 0;
  for (const nsp of io._nsps.values()) {
    const { adapter } = nsp;
    let own = 0;
    for (const room of adapter.rooms.keys()) if (typeof room !== "string" || !adapter.sids.has(room)) own++;
    rooms += own;
    namespaces.push({ name: nsp.name, sockets: nsp.sockets.size, rooms: own });
  }
  const mem = process.memoryUsage();
  return {
    clients: io.engine.clientsCount,
    namespaces,
    rooms,
    messagesPerSecond: rate.perSecond,
    totalMessages: rate.total,
    uptimeSeconds: Math.floor((now - startedAt) / 1000),
    memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal },
    time: now,
  };
}
