/**
 * What a runtime adapter (Node, Bun, Deno) gives the runtime-neutral engine: HTTP requests
 * and responses, WebSocket connections, and a few primitives. Core code never touches
 * `process`, `Buffer` or a runtime module; it only sees these contracts.
 */

/** Incoming HTTP headers, lower-cased names. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** Outcome of reading a POST body under the engine's limits. */
export type BodyResult =
  | { ok: true; body: string | Uint8Array }
  | { ok: false; reason: "too-large" | "too-many-chunks" | "timeout" | "aborted" };

/** A request as the engine sees it. */
export interface EngineRequest {
  readonly method: string;
  /** Path and query, as received (e.g. `/socket.io/?EIO=4&transport=polling`). */
  readonly url: string;
  readonly headers: HeaderMap;
  readonly remoteAddress: string;
  readonly secure: boolean;
  /**
   * The runtime's own request object (Node: `http.IncomingMessage`), exposed to
   * applications as `socket.request` / `conn.request` and to `allowRequest`.
   */
  readonly raw: unknown;
  /**
   * Reads the body (as UTF-8 text unless `binary`); resolves with a failure reason instead
   * of throwing.
   */
  readBody(limits: { maxBytes: number; maxChunks: number; timeoutMs: number; binary: boolean }): Promise<BodyResult>;
  /** Registers a callback for the client aborting the request before it was answered. */
  onAbort(callback: () => void): void;
}

/** The response side of one request. */
export interface EngineResponse {
  /** Writes status, headers and the whole body, then ends. Ignored if already sent. */
  send(status: number, headers: Record<string, string | string[]>, body: string | Uint8Array): void;
  readonly sent: boolean;
  /** The runtime's own response object (Node: `http.ServerResponse`), for middlewares. */
  readonly raw: unknown;
}

/** A WebSocket connection handed over by the runtime after the HTTP upgrade. */
export interface WebSocketConnection {
  /** Sends a text or binary frame; `done` is called once written (or with an error). */
  send(data: string | Uint8Array, compress: boolean, done?: (err?: Error | null) => void): void;
  /**
   * Optional fast path: writes a frame prepared once for many recipients (see
   * {@link EngineRuntime.prepareFrame}).
   */
  sendPrepared?(frame: unknown, done?: (err?: Error | null) => void): void;
  close(code?: number, reason?: string): void;
  /** Closes without a closing handshake (dead or misbehaving peer). */
  terminate(): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Installs the single set of handlers; the runtime keeps an error listener at all times. */
  setHandlers(handlers: WebSocketHandlers): void;
}

export interface WebSocketHandlers {
  onMessage(data: string | Uint8Array): void;
  onClose(code: number, reason: string): void;
  onError(err: Error): void;
}

/** Compression applied to polling responses. */
export type ContentEncoding = "gzip" | "deflate" | "br";

/** Runtime primitives. */
export interface EngineRuntime {
  /** Cryptographically secure random bytes (session ids, CVE-2017-16031). */
  randomBytes(size: number): Uint8Array;
  /** Bytes of `text` in UTF-8. */
  byteLength(text: string): number;
  toBase64(bytes: Uint8Array): string;
  /** Decodes base64 into the runtime's preferred byte type (Node: `Buffer`). */
  fromBase64(text: string): Uint8Array;
  /** Turns a decoded binary frame into what applications receive (Node: `Buffer`). */
  toAppBinary(bytes: Uint8Array): Uint8Array;
  /** Compresses a polling response, or undefined when the runtime cannot. */
  compress?(data: string | Uint8Array, encoding: ContentEncoding): Promise<Uint8Array>;
  /** Prepares a text frame once for many WebSocket recipients (optional fast path). */
  prepareFrame?(data: string): unknown;
}

/** Time, injectable for tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
