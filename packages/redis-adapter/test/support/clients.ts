/** Clients of both implementations, with a small API the tests share. */

import { io as omnioIo } from "@omnio/client/node";
import { io as sioIo } from "socket.io-client";

export type ClientKind = "omnio" | "socket.io-client";

export interface TestClient {
  kind: ClientKind;
  socket: any;
  /** Events received, by name. */
  got(ev: string): unknown[][];
  waitFor(ev: string, count?: number, ms?: number): Promise<unknown[][]>;
  close(): void;
}

export async function connect(
  kind: ClientKind,
  url: string,
  opts: Record<string, unknown> = {},
  recordEvents: string[] = [],
): Promise<TestClient> {
  const options: any = { transports: ["websocket"], reconnection: false, forceNew: true, ...opts };
  const socket: any = kind === "omnio" ? omnioIo(url, options) : sioIo(url, options);
  const events = new Map<string, unknown[][]>();
  const record = (ev: string, args: unknown[]): void => {
    let list = events.get(ev);
    if (!list) events.set(ev, (list = []));
    list.push(args);
  };
  socket.onAny((ev: string, ...args: unknown[]) => {
    if (typeof args[args.length - 1] === "function") args = args.slice(0, -1);
    record(ev, args);
  });
  for (const ev of recordEvents) socket.on(ev, (...args: unknown[]) => record(ev, args));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not connect to ${url}`)), 10_000);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect_error", (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return {
    kind,
    socket,
    got: (ev) => events.get(ev) ?? [],
    async waitFor(ev, count = 1, ms = 10_000) {
      const deadline = Date.now() + ms;
      while ((events.get(ev)?.length ?? 0) < count) {
        if (Date.now() > deadline) {
          throw new Error(`${kind}: expected ${count} "${ev}", got ${events.get(ev)?.length ?? 0}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return events.get(ev)!;
    },
    close: () => socket.disconnect(),
  };
}

/** Emits and waits for the server's ack. */
export function call(client: TestClient, ev: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => client.socket.emit(ev, ...args, resolve));
}

export { sleep } from "@omnio/testkit";
