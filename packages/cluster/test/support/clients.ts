/**
 * The two clients the cluster tests drive (official socket.io-client 4.8.4 and
 * `@omnio/client/node`), behind one small interface.
 */
import { io as omnioIo } from "@omnio/client/node";
import { io as sioIo } from "socket.io-client";

export type ClientKind = "socket.io-client" | "omnio";
export type TransportMode = "polling" | "upgrade" | "websocket";

/** The parts of a client socket the tests use (both clients have them). */
export interface TestSocket {
  id: string | undefined;
  connected: boolean;
  on(ev: string, fn: (...args: any[]) => void): unknown;
  emit(ev: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emit(ev: string, ...args: unknown[]): unknown };
  disconnect(): unknown;
  io: { engine?: { id?: string; transport?: unknown } | undefined };
}

export function connectClient(kind: ClientKind, mode: TransportMode, url: string): TestSocket {
  const opts = {
    forceNew: true,
    transports: mode === "upgrade" ? ["polling", "websocket"] : [mode],
    reconnectionDelay: 100,
    reconnectionDelayMax: 400,
    randomizationFactor: 0,
  };
  return kind === "omnio" ? omnioIo(url, opts as never) : sioIo(url, opts as never);
}

/** The engine session id of a connected client. */
export function engineId(socket: TestSocket): string {
  return String(socket.io.engine?.id);
}

/** The engine's current transport name (socket.io-client keeps an object, omnio a name). */
export function transportName(socket: TestSocket): string {
  const t = socket.io.engine?.transport;
  return typeof t === "string" ? t : String((t as { name?: string } | undefined)?.name);
}

export function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const check = (): void => {
      if (cond()) return resolve();
      if (Date.now() - start > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      setTimeout(check, 25);
    };
    check();
  });
}

/** Counts what a client saw while it was exercised. */
export interface Exchange {
  /** Echoes sent (each with an ack). */
  sent: number;
  acks: number;
  ticks: number;
  errors: string[];
  disconnects: string[];
}

/** Sends an acked `echo` every `everyMs` for `durationMs`; counts acks, ticks and failures. */
/** A short text for an error's detail (objects as JSON, errors by message). */
function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.message;
  try {
    return JSON.stringify(detail) ?? String(detail);
  } catch {
    return String(detail);
  }
}

export async function exercise(socket: TestSocket, durationMs: number, everyMs = 100): Promise<Exchange> {
  const result: Exchange = { sent: 0, acks: 0, ticks: 0, errors: [], disconnects: [] };
  socket.on("tick", () => result.ticks++);
  // The description (an HTTP status, a close code) says which request failed, when one did.
  socket.on("connect_error", (e: Error & { description?: unknown }) =>
    result.errors.push(e.description === undefined ? e.message : `${e.message}: ${describe(e.description)}`),
  );
  socket.on("disconnect", (reason: string, details?: unknown) =>
    result.disconnects.push(details === undefined ? reason : `${reason}: ${describe(details)}`),
  );
  const end = Date.now() + durationMs;
  let i = 0;
  while (Date.now() < end) {
    const n = i++;
    result.sent++;
    socket.timeout(5000).emit("echo", n, (err: Error | null, r: { x: number } | undefined) => {
      if (err) result.errors.push(`ack ${n}: ${err.message}`);
      else if (r?.x === n) result.acks++;
      else result.errors.push(`ack ${n}: wrong answer ${JSON.stringify(r)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  // The last acks (each has a 5 s timeout that would report itself as an error).
  const deadline = Date.now() + 5500;
  while (result.acks + result.errors.length < result.sent && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return result;
}
