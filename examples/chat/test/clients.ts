/** Test helpers: chat clients made with the official socket.io-client or the omnio Node client. */
import { io as sioConnect } from "socket.io-client";
import { io as omnioConnect } from "@omnio/client/node";

/** What the tests need of either client. */
export interface ChatClient {
  id: string | undefined;
  emit(event: string, ...args: unknown[]): unknown;
  emitWithAck(event: string, ...args: unknown[]): Promise<any>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  disconnect(): unknown;
}

export type ClientKind = "socket.io-client" | "omnio";
export const CLIENT_KINDS: readonly ClientKind[] = ["socket.io-client", "omnio"];

/** Connects and resolves once connected; every received event is recorded in `events`. */
export async function connect(
  kind: ClientKind,
  url: string,
  transports: ("websocket" | "polling")[] = ["websocket"],
): Promise<ChatClient & { events: [string, ...any[]][] }> {
  const opts = { forceNew: true, reconnection: false, transports };
  const client = (kind === "omnio" ? omnioConnect(url, opts) : sioConnect(url, opts)) as unknown as ChatClient & {
    onAny(listener: (event: string, ...args: any[]) => void): unknown;
    once(event: string, listener: (...args: any[]) => void): unknown;
  };
  const events: [string, ...any[]][] = [];
  client.onAny((event, ...args) => events.push([event, ...args]));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind}: no connect`)), 5000);
    client.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return Object.assign(client, { events });
}

/** Polls until `ok()` holds (liveness bound only). */
export async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The received events named `name`, their first argument each. */
export function received<T = any>(client: { events: [string, ...any[]][] }, name: string): T[] {
  return client.events.filter((e) => e[0] === name).map((e) => e[1] as T);
}

/** Bytes of a received binary value (Buffer from socket.io-client, ArrayBuffer from omnio). */
export function bytes(value: unknown): Buffer {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`not binary: ${Object.prototype.toString.call(value)}`);
}
