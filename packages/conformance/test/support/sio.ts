/** Socket.IO v5 over the raw Engine.IO client: connect helpers and a polling packet reader. */
import type { EngineSocket, Server } from "@omnio/server";
import { once as waitFor } from "@omnio/testkit";
import { packets, readOpen, WAIT_MS, type OpenData, type RawEngine, type RawWs } from "./raw.js";

/** Reads packets from a polling session one at a time, polling as needed. */
export class PollReader {
  readonly #queue: string[] = [];
  constructor(
    readonly raw: RawEngine,
    readonly sid: string,
    /** Answer server pings with a pong POST. */
    readonly pong = true,
  ) {}

  /** The next packet (pings answered and skipped when `pong`). */
  async next(timeoutMs = WAIT_MS): Promise<string> {
    for (;;) {
      const p = this.#queue.shift();
      if (p !== undefined) {
        if (p === "2" && this.pong) {
          await this.raw.pushOk(this.sid, "3");
          continue;
        }
        return p;
      }
      const res = await this.raw.poll(this.sid, timeoutMs);
      if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${res.body}`);
      this.#queue.push(...packets(res.body));
    }
  }
}

/** A Socket.IO connection made over polling. */
export interface PollingSio {
  /** Engine.IO session id. */
  sid: string;
  /** The server's answer to the CONNECT packet. */
  reply: string;
  reader: PollReader;
}

/** Polling handshake, then `connect` (default `40`) and its answer. */
export async function connectPolling(raw: RawEngine, connect = "40"): Promise<PollingSio> {
  const { sid } = await raw.handshake();
  await raw.pushOk(sid, connect);
  const reader = new PollReader(raw, sid);
  const reply = await reader.next();
  return { sid, reply, reader };
}

/** A Socket.IO connection made over a WebSocket-only session. */
export interface WsSio {
  ws: RawWs;
  open: OpenData;
  reply: string;
}

/** WebSocket handshake, then `connect` (default `40`) and its answer. */
export async function connectWs(raw: RawEngine, connect = "40"): Promise<WsSio> {
  const ws = await raw.ws();
  try {
    const open = await readOpen(ws);
    ws.send(connect);
    // With a short pingInterval a ping may come first: answer it and read on.
    const reply = String(await ws.nextNonPing());
    return { ws, open, reply };
  } catch (err) {
    ws.terminate();
    throw err;
  }
}

/** Parses `40{"sid":…}` (or `40/nsp,{…}`) into its JSON. */
export function connectData(reply: string, nsp = "/"): Record<string, unknown> {
  const prefix = nsp === "/" ? "40" : `40${nsp},`;
  if (!reply.startsWith(prefix + "{")) throw new Error(`expected a CONNECT reply for ${nsp}, got ${reply}`);
  return JSON.parse(reply.slice(prefix.length)) as Record<string, unknown>;
}

/** An Engine.IO connection observed from the instant the server opened it. */
export interface ObservedConnection {
  conn: EngineSocket;
  /** When the server opened the session (its timers start then). */
  openedAt: number;
  /** Resolves when the session closes (listener attached at once, so no close is missed). */
  closed: Promise<{ reason: string; closedAt: number }>;
}

/**
 * The next Engine.IO connection of `io`. Times are server-side instants: a busy test
 * process may read a response late, but server timers never fire early.
 */
export function nextConnection(io: Server, timeoutMs = WAIT_MS): Promise<ObservedConnection> {
  return once<[EngineSocket]>(io.engine, "connection", timeoutMs).then(([conn]) => ({
    conn,
    openedAt: Date.now(),
    closed: new Promise((resolve) => conn.once("close", (reason: string) => resolve({ reason, closedAt: Date.now() }))),
  }));
}

/** Resolves with the arguments of the next `event`; rejects after `timeoutMs`. */
export function once<T extends unknown[] = any[]>(
  emitter: { once(ev: string, fn: (...args: any[]) => void): unknown },
  event: string,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return waitFor<T>(emitter, event, timeoutMs);
}
