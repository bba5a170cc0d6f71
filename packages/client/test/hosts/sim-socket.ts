/**
 * A simulated host SocketTask backed by a real `ws` connection. The payload shapes come from a
 * {@link SocketDialect} (WeChat, tt, Alipay nested/flat, uni H5/App); the host quirks from
 * {@link SimState} (cap, close-before-open, URL rules, suspension, kill, offline).
 */
import WebSocket from "ws";
import type { LiveSocket, SimState } from "./sim-state.js";

type Fn = (result?: any) => void;

/** What a `send`/`close` option object carries (any host). */
export interface SendOption {
  data?: unknown;
  isBuffer?: boolean;
  success?: Fn;
  fail?: Fn;
  complete?: Fn;
}

/** How one host shapes its socket payloads. */
export interface SocketDialect {
  /** The API name in `errMsg`s, e.g. `"connectSocket"`. */
  api: string;
  ok(api: string): unknown;
  failure(api: string, errMsg: string, code?: number): unknown;
  open(headers: Record<string, string>): unknown;
  message(data: string | ArrayBuffer): unknown;
  error(errMsg: string): unknown;
  close(code: number, reason: string): unknown;
  /** The frame to transmit, or an error message for `fail`. */
  frame(option: SendOption): string | ArrayBuffer | { error: string };
  /** A failed connection fires `onError` only, never `onClose` (uni-app App). */
  errorWithoutClose?: boolean;
  /** `readyState` before open (uni-app App starts at CLOSED). @default 0 */
  initialReadyState?: ReadyState;
}

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
type ReadyState = 0 | 1 | 2 | 3;

/** Options given to `connectSocket` (any host). */
export interface ConnectOption {
  url: string;
  header?: Record<string, string>;
  protocols?: string[];
  success?: Fn;
  fail?: Fn;
  complete?: Fn;
}

/** One simulated socket. */
export class SimSocketTask implements LiveSocket {
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;
  readyState: ReadyState;
  readonly #state: SimState;
  readonly #dialect: SocketDialect;
  readonly #listeners = { open: [] as Fn[], message: [] as Fn[], error: [] as Fn[], close: [] as Fn[] };
  #ws: WebSocket | undefined;
  #ended = false;
  #opened = false;
  #closeAfterOpen: { code: number; reason: string } | undefined;

  constructor(state: SimState, dialect: SocketDialect, option: ConnectOption) {
    this.#state = state;
    this.#dialect = dialect;
    this.readyState = dialect.initialReadyState ?? CONNECTING;
    state.connects.push({ url: option.url, header: option.header });
    const api = dialect.api;
    const refusal =
      state.refusal(option.url, api) ??
      (state.options.refuseSockets ? `${api}:fail socket blocked` : undefined) ??
      (state.sockets.size >= state.options.maxSockets ? `${api}:fail ${state.options.capMessage}` : undefined);
    if (refusal !== undefined) {
      this.#ended = true;
      this.readyState = CLOSED;
      state.later(() => {
        const failure = dialect.failure(api, refusal);
        option.fail?.(failure);
        option.complete?.(failure);
      });
      return;
    }
    state.sockets.add(this);
    state.peakSockets = Math.max(state.peakSockets, state.sockets.size);
    state.later(() => {
      const ok = dialect.ok(api);
      option.success?.(ok);
      option.complete?.(ok);
    });
    if (state.options.neverOpen) return;
    const headers = state.options.dropHeaders ? {} : { ...option.header };
    const ws = new WebSocket(option.url, option.protocols ?? [], { headers });
    this.#ws = ws;
    let responseHeaders: Record<string, string> = {};
    ws.on("upgrade", (res) => {
      responseHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
    });
    ws.on("open", () => {
      if (this.#ended) return;
      this.#opened = true;
      this.readyState = OPEN;
      const pending = this.#closeAfterOpen;
      this.#fire("open", dialect.open(responseHeaders));
      if (pending !== undefined) ws.close(pending.code, pending.reason);
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (this.#ended) return;
      const frame: string | ArrayBuffer = isBinary
        ? (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer)
        : data.toString("utf8");
      this.#fire("message", dialect.message(frame));
    });
    ws.on("error", (error) => {
      if (this.#ended) return;
      this.#fire("error", dialect.error(`${api}:fail ${error.message}`));
      if (dialect.errorWithoutClose && !this.#opened) this.#end(undefined);
    });
    ws.on("close", (code, reason) => {
      if (this.#ended) return;
      this.#end(dialect.close(code, reason.toString()));
    });
  }

  #fire(kind: "open" | "message" | "error" | "close", payload: unknown): void {
    for (const listener of [...this.#listeners[kind]]) this.#state.later(() => listener(payload));
  }

  #end(closePayload: unknown): void {
    this.#ended = true;
    this.readyState = CLOSED;
    this.#state.sockets.delete(this);
    if (closePayload !== undefined) this.#fire("close", closePayload);
  }

  onOpen(listener: Fn): void {
    this.#listeners.open.push(listener);
  }
  onMessage(listener: Fn): void {
    this.#listeners.message.push(listener);
  }
  onError(listener: Fn): void {
    this.#listeners.error.push(listener);
  }
  onClose(listener: Fn): void {
    this.#listeners.close.push(listener);
  }
  offOpen(listener?: Fn): void {
    this.#off("open", listener);
  }
  offMessage(listener?: Fn): void {
    this.#off("message", listener);
  }
  offError(listener?: Fn): void {
    this.#off("error", listener);
  }
  offClose(listener?: Fn): void {
    this.#off("close", listener);
  }
  #off(kind: "open" | "message" | "error" | "close", listener?: Fn): void {
    const list = this.#listeners[kind];
    if (listener === undefined) list.length = 0;
    else if (list.includes(listener)) list.splice(list.indexOf(listener), 1);
  }

  send(option: SendOption): void {
    const api = "sendSocketMessage";
    const reply = (failure: string | undefined): void =>
      this.#state.later(() => {
        const payload = failure === undefined ? this.#dialect.ok(api) : this.#dialect.failure(api, failure, 10);
        (failure === undefined ? option.success : option.fail)?.(payload);
        option.complete?.(payload);
      });
    if (this.readyState !== OPEN || this.#ws === undefined) return reply(`${api}:fail WebSocket is not connected`);
    const frame = this.#dialect.frame(option);
    if (typeof frame === "object" && !(frame instanceof ArrayBuffer)) return reply(`${api}:fail ${frame.error}`);
    this.#ws.send(frame);
    reply(undefined);
  }

  close(option: { code?: number; reason?: string; success?: Fn; fail?: Fn; complete?: Fn } = {}): void {
    const api = "closeSocket";
    const code = option.code ?? 1000;
    const reason = option.reason ?? "";
    this.#state.later(() => {
      const ok = this.#dialect.ok(api);
      option.success?.(ok);
      option.complete?.(ok);
    });
    if (this.#ended) return;
    if (this.readyState === CONNECTING || (!this.#opened && this.readyState === CLOSED)) {
      const mode = this.#state.options.closeBeforeOpen;
      if (mode === "ignored") return;
      if (mode === "deferred") {
        this.#closeAfterOpen = { code, reason };
        return;
      }
      this.readyState = CLOSING;
      this.#ws?.terminate();
      if (this.#ws === undefined) this.#end(this.#dialect.close(code, reason));
      return;
    }
    this.readyState = CLOSING;
    this.#ws?.close(code, reason);
  }

  /** The host ends the socket (background kill, offline, dispose). */
  kill(code: number, reason: string, notify: boolean): void {
    if (this.#ended) return;
    this.#ws?.terminate();
    this.#end(notify ? this.#dialect.close(code, reason) : undefined);
  }
}
