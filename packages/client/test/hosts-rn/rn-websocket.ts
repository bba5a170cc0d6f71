/**
 * React Native's `WebSocket` (Libraries/WebSocket/WebSocket.js), backed by a real `ws`
 * connection. What is reproduced:
 * - `new WebSocket(url, protocols?, { headers })`: the non-standard third argument; the native
 *   side also adds the host's cookies to the handshake.
 * - `binaryType` accepts only `"blob"` and `"arraybuffer"` (anything else throws); unset, binary
 *   arrives as an `ArrayBuffer` (RN decodes the bridge's base64). `binaryMode: "blob"` simulates
 *   the versions/setups where binary arrives as a `Blob` whatever `binaryType` says.
 * - `send` while CONNECTING throws `INVALID_STATE_ERR`; string, ArrayBuffer and views are sent.
 * - A failure dispatches `error` ({ message }) and then `close` ({ code: 1006, reason }).
 * - Events are dispatched asynchronously (they cross the bridge), through `on<event>`
 *   properties and `addEventListener`.
 */
import WebSocket from "ws";
import { RNBlob } from "./rn-blob.js";
import type { LiveSocket, RNNetwork } from "./rn-network.js";

/** RN's events carry their fields on the event object (`event.data`, `event.code`, …). */
type Listener = (event: never) => void;

export interface RNWebSocketOptions {
  network: RNNetwork;
  binaryMode: "arraybuffer" | "blob";
  /** Refuse every WebSocket (a proxy that blocks upgrades). */
  blocked: () => boolean;
  /** Every socket created, for tests that count them. */
  created: RNWebSocketInstance[];
}

export interface RNWebSocketInstance {
  readonly url: string;
  readonly readyState: number;
  /** The headers the native side sent on the handshake. */
  readonly sentHeaders: Record<string, string>;
}

export function createRNWebSocketClass(opts: RNWebSocketOptions) {
  return class RNWebSocket implements RNWebSocketInstance, LiveSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;

    readonly url: string;
    readyState = 0;
    protocol = "";
    readonly sentHeaders: Record<string, string>;
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((event: { message?: unknown }) => void) | null = null;
    onclose: ((event: { code?: unknown; reason?: unknown }) => void) | null = null;
    #binaryType: "blob" | "arraybuffer" | undefined;
    readonly #listeners = new Map<string, Set<Listener>>();
    #ws: WebSocket | undefined;
    #frozen = false;
    #finished = false;

    constructor(url: string, protocols?: string | string[] | null, options?: { headers?: Record<string, string> }) {
      this.url = url;
      const list = protocols == null ? [] : typeof protocols === "string" ? [protocols] : protocols;
      const headers: Record<string, string> = { ...(options?.headers ?? {}) };
      const host = url.replace(/^wss?:\/\//, "").split("/")[0]!;
      const cookie = opts.network.cookieHeader(host);
      if (cookie !== undefined && headers.cookie === undefined && headers.Cookie === undefined) headers.cookie = cookie;
      this.sentHeaders = headers;
      opts.created.push(this);
      const refusal = opts.blocked() ? "Expected HTTP 101 response but was '400 Bad Request'" : opts.network.refusal();
      if (refusal !== undefined) {
        opts.network.refusals++;
        setTimeout(() => this.#fail(refusal), 1);
        return;
      }
      const ws = new WebSocket(url, list, { headers });
      this.#ws = ws;
      opts.network.sockets.add(this);
      ws.on("open", () => {
        if (this.#frozen) return;
        this.readyState = 1;
        this.protocol = ws.protocol;
        this.#dispatch("open", {});
      });
      ws.on("message", (data: Buffer, isBinary: boolean) => {
        if (this.#frozen || this.readyState !== 1) return;
        if (!isBinary) return this.#dispatch("message", { data: data.toString("utf8") });
        const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
        const asBlob = opts.binaryMode === "blob" || this.#binaryType === "blob";
        this.#dispatch("message", { data: asBlob ? new RNBlob(bytes) : bytes.buffer });
      });
      ws.on("close", (code: number, reason: Buffer) => {
        if (this.#frozen) return;
        this.#finish("close", { code, reason: reason.toString("utf8") });
      });
      ws.on("error", (error: Error) => {
        if (!this.#frozen) this.#fail(error.message);
      });
    }

    get binaryType(): "blob" | "arraybuffer" | undefined {
      return this.#binaryType;
    }

    set binaryType(value: "blob" | "arraybuffer" | undefined) {
      if (value !== "blob" && value !== "arraybuffer") {
        throw new Error("binaryType must be either 'blob' or 'arraybuffer'");
      }
      this.#binaryType = value;
    }

    send(data: unknown): void {
      if (this.readyState === 0) throw new Error("INVALID_STATE_ERR");
      if (this.#frozen || this.readyState !== 1) return;
      if (typeof data === "string") return this.#ws!.send(data);
      if (data instanceof ArrayBuffer) return this.#ws!.send(new Uint8Array(data));
      if (ArrayBuffer.isView(data))
        return this.#ws!.send(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      throw new Error("Unsupported data type");
    }

    close(code?: number, reason?: string): void {
      if (this.readyState === 2 || this.readyState === 3) return;
      this.readyState = 2;
      if (this.#ws === undefined) return;
      if (this.#frozen) {
        // No close handshake is possible on a dead link: the native side gives up.
        this.#ws.terminate();
        setTimeout(() => this.#finish("close", { code: 1006, reason: "" }), 5);
        return;
      }
      if (this.#ws.readyState === WebSocket.CONNECTING) this.#ws.terminate();
      else this.#ws.close(code ?? 1000, reason);
    }

    addEventListener(type: string, listener: Listener): void {
      const set = this.#listeners.get(type) ?? new Set();
      set.add(listener);
      this.#listeners.set(type, set);
    }

    removeEventListener(type: string, listener: Listener): void {
      this.#listeners.get(type)?.delete(listener);
    }

    freeze(): void {
      this.#frozen = true;
    }

    kill(message: string): void {
      if (this.#finished) return;
      this.#ws?.terminate();
      this.#fail(message);
    }

    #fail(message: string): void {
      if (this.#finished) return;
      this.#dispatch("error", { message });
      this.#finish("close", { code: 1006, reason: message });
    }

    #finish(type: "close", event: Record<string, unknown>): void {
      if (this.#finished) return;
      this.#finished = true;
      this.readyState = 3;
      opts.network.sockets.delete(this);
      this.#dispatch(type, event);
    }

    #dispatch(type: string, fields: Record<string, unknown>): void {
      const event = { type, target: this, ...fields };
      setImmediate(() => {
        const handler = (this as unknown as Record<string, ((e: unknown) => void) | null>)["on" + type];
        handler?.call(this, event);
        for (const listener of this.#listeners.get(type) ?? []) (listener as (e: unknown) => void).call(this, event);
      });
    }
  };
}
