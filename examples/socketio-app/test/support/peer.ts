/**
 * An official socket.io-client socket that records what it receives, so a scenario can
 * take events in order, answer server acks on demand, and prove at the end that nothing
 * unexpected arrived.
 */
import { io as connect, type Socket } from "socket.io-client";

type Transports = ("polling" | "websocket")[];
type Args = unknown[];

/** What `connected()` resolves with: the connection or the server's refusal. */
export type ConnectOutcome = { connected: true } | { connected: false; message: string; data: unknown };

export class Peer {
  readonly socket: Socket;
  /** Settles with the connection's outcome (listened for from the start, so never missed). */
  readonly outcome: Promise<ConnectOutcome>;
  readonly #queues = new Map<string, Args[]>();
  readonly #waiters = new Map<string, ((args: Args) => void)[]>();
  readonly #answers = new Map<string, (...args: Args) => unknown>();

  constructor(
    readonly label: string,
    url: string,
    readonly nsp: string,
    token: string | undefined,
    transports: Transports | undefined,
  ) {
    this.socket = connect(url + nsp, {
      forceNew: true,
      reconnection: false,
      auth: token === undefined ? {} : { token },
      ...(transports ? { transports } : {}),
    });
    this.socket.onAny((event: string, ...args: Args) => {
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args.pop();
        const answer = this.#answers.get(event);
        if (answer) (last as (v: unknown) => void)(answer(...args));
      }
      this.#push(event, args);
    });
    this.socket.on("disconnect", (reason) => this.#push("disconnect", [reason]));
    this.outcome = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label}: no connect nor connect_error`)), 3000);
      this.socket.once("connect", () => {
        clearTimeout(timer);
        resolve({ connected: true });
      });
      this.socket.once("connect_error", (err: Error & { data?: unknown }) => {
        clearTimeout(timer);
        resolve({ connected: false, message: err.message, data: err.data });
      });
    });
    this.outcome.catch(() => undefined);
  }

  /** Acks every later `event` from the server with `answer(...payload)`. */
  answer(event: string, answer: (...args: Args) => unknown): void {
    this.#answers.set(event, answer);
  }
  /** Stops acking `event` (the server's ack then times out). */
  ignore(event: string): void {
    this.#answers.delete(event);
  }

  emitWithAck(event: string, ...args: Args): Promise<unknown> {
    return this.socket.timeout(3000).emitWithAck(event, ...args);
  }
  emit(event: string, ...args: Args): void {
    this.socket.emit(event, ...args);
  }

  /** The payload of the next `event` received (already received or still to come). */
  take(event: string, timeoutMs = 3000): Promise<Args> {
    const queued = this.#queues.get(event)?.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiters = this.#waiters.get(event) ?? [];
      this.#waiters.set(event, waiters);
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(deliver), 1);
        reject(new Error(`timed out waiting for "${event}"`));
      }, timeoutMs);
      const deliver = (args: Args): void => {
        clearTimeout(timer);
        resolve(args);
      };
      waiters.push(deliver);
    });
  }

  /** Events received and not taken, as `[event, ...payload]`. */
  pending(): [string, ...Args][] {
    const out: [string, ...Args][] = [];
    for (const [event, queue] of this.#queues) for (const args of queue) out.push([event, ...args]);
    return out;
  }

  close(): void {
    this.socket.disconnect();
  }

  #push(event: string, args: Args): void {
    const waiter = this.#waiters.get(event)?.shift();
    if (waiter) waiter(args);
    else {
      const queue = this.#queues.get(event) ?? [];
      this.#queues.set(event, queue);
      queue.push(args);
    }
  }
}
