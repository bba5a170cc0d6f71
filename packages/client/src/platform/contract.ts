/**
 * The platform contract: everything the client core needs from its host, and nothing more.
 *
 * The core never touches `WebSocket`, `fetch`, `window`, `process` or `Buffer`; it receives one
 * `Platform` object (picked by the entry point or passed by the user, never sniffed inside the
 * core). Every operation is callback-based and created synchronously, so hosts whose Promises
 * are emulated with timers (older mini-program runtimes) behave like the others, and an adapter
 * can register all listeners in the same tick as it creates the task (miniprogram-platforms
 * §1.10 rule 1).
 *
 * @example
 * import { createNodePlatform } from "@omnio/client/node";
 * const engine = new EngineSocket("http://127.0.0.1:3000", { platform: createNodePlatform() });
 */

/** An opaque timer handle, as returned by the host's `setTimeout`. */
export type TimerHandle = unknown;

/** What the core passes when it opens a WebSocket-like connection. */
export interface SocketRequest {
  /** Full `ws:`/`wss:` URL, query included. */
  url: string;
  /** Subprotocols; empty when none. */
  protocols: readonly string[];
  /** Extra request headers (hosts that cannot set headers ignore them). */
  headers: Readonly<Record<string, string>>;
}

/**
 * Callbacks of a WebSocket-like connection. Adapters call at most one terminal callback
 * (`onClose` or `onError`) per connection, but the core tolerates both, in any order.
 */
export interface SocketHandlers {
  onOpen(): void;
  /** A text frame as a string, a binary frame as an exact `ArrayBuffer` (never a view). */
  onMessage(data: string | ArrayBuffer): void;
  /** `code` is a number (1006 when the host gave none); `reason` may be empty. */
  onClose(code: number, reason: string): void;
  onError(error: unknown): void;
}

/** A live WebSocket-like connection. */
export interface PlatformSocket {
  /**
   * Sends one frame. Only called after `onOpen`. `compress` is the per-message deflate wish of
   * this frame (socket.io's `compress(false)`): `false` asks the host not to compress it, when it
   * can choose (Node `ws`: `send(data, { compress })`); `undefined` means the host's default.
   * Hosts that cannot choose (browsers) ignore it.
   */
  send(data: string | ArrayBuffer, compress?: boolean): void;
  /** Closes the connection; safe to call while connecting (the adapter defers if it must). */
  close(code?: number, reason?: string): void;
}

/** An HTTP request for the long-polling transport (always a text body). */
export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Text body for POST; polling never sends binary bodies (engine.io rejects them on EIO4). */
  body?: string;
  /** Milliseconds before the request fails with a timeout; 0 means none. */
  timeout: number;
  /** Send cookies/credentials cross-origin (browser `credentials: "include"`). */
  withCredentials: boolean;
}

/** An HTTP response, body always read as text. Header names are lower-case. */
export interface HttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** Callbacks of one HTTP request; exactly one of them is called, unless aborted. */
export interface HttpHandlers {
  onResponse(response: HttpResponse): void;
  onError(error: unknown): void;
}

/** A running HTTP request. After `abort()` no callback is called. */
export interface HttpTask {
  abort(): void;
}

/** Removes a lifecycle listener. */
export type Unsubscribe = () => void;

/**
 * Optional host lifecycle signals (miniprogram-platforms §4.3): the core re-checks its
 * wall-clock deadlines when the host wakes up, drops the link when the network goes away, and
 * cuts a reconnection delay short when the network or the app comes back. Listeners are for
 * changes: an adapter should not call one at subscription time (the Manager ignores such a call).
 */
export interface PlatformLifecycle {
  /** `online` false when the host reports the network lost, true when it is back. */
  onNetworkChange?(listener: (online: boolean) => void): Unsubscribe;
  /** `visible` false when the app/tab goes to the background, true when it comes back. */
  onVisibilityChange?(listener: (visible: boolean) => void): Unsubscribe;
  /**
   * The page/app is about to unload (browsers: `beforeunload`). Used only with the
   * `closeOnBeforeunload` option: the connection is then closed silently (no `disconnect`).
   */
  onBeforeUnload?(listener: () => void): Unsubscribe;
}

/** The whole contract a host implements. */
export interface Platform {
  /** A short name for logs and errors, e.g. `"node"`, `"browser"`. */
  readonly name: string;
  /** Opens a WebSocket-like connection, or `undefined` when this host has none. */
  readonly createSocket: ((request: SocketRequest, handlers: SocketHandlers) => PlatformSocket) | undefined;
  /** Starts an HTTP request, or `undefined` when this host cannot poll. */
  readonly request: ((request: HttpRequest, handlers: HttpHandlers) => HttpTask) | undefined;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Wall-clock milliseconds (`Date.now()`-like); used for heartbeat deadlines. */
  now(): number;
  /**
   * Normalises host binary (views, `Buffer`, …) to an exact `ArrayBuffer`, or returns
   * `undefined` when `data` is not binary this host knows about.
   */
  toArrayBuffer(data: unknown): ArrayBuffer | undefined;
  /**
   * The binary type a custom parser's decoder receives (the `parser` option), the one the
   * official client hands it on this host: Node's `Buffer`, which the Node build of
   * socket.io-msgpack-parser requires. Optional: without it the decoder gets the `ArrayBuffer`
   * (what browsers give it).
   */
  toParserBinary?(data: ArrayBuffer): unknown;
  /** Lifecycle signals, when the host has them. */
  readonly lifecycle?: PlatformLifecycle;
  /**
   * `length` cryptographically strong random bytes (Node `node:crypto`, browsers
   * `crypto.getRandomValues`). Optional: without it the core falls back to `Math.random`, which
   * is enough for what it names (the ack scope of `retries`, not a secret) but may collide more
   * easily between clients started at the same instant on hosts with a weak generator.
   */
  randomBytes?(length: number): Uint8Array;
  /**
   * True when `data` is a host `Blob`/`File` (browsers, workers, Node 18+, Deno, Bun). A Blob in
   * an emit is binary, as in socket.io-client: the core reads it with `readBlob` before the
   * packet is written, keeping packet order. Optional: hosts without Blob leave both out.
   */
  isBlob?(data: unknown): boolean;
  /** Reads a Blob (one `isBlob` accepted) into an exact `ArrayBuffer`; on failure `buffer` is `undefined`. */
  readBlob?(blob: unknown, callback: (buffer: ArrayBuffer | undefined, error?: unknown) => void): void;
}
