/**
 * Server-side runtimes with Web APIs (Bun, Deno): their global `WebSocket`, whose second
 * argument may be an options object with `headers` (both runtimes accept it), and `fetch` for
 * polling. Bun delivers binary as `nodebuffer` (a `Buffer`) and Deno as `blob` unless told
 * otherwise: `binaryType` is set to `"arraybuffer"`, and whatever still arrives (a view, a Blob)
 * is normalised to an exact `ArrayBuffer` in arrival order. Only an adapter to the `Platform`
 * contract; `createBunPlatform` / `createDenoPlatform` name it.
 */
import { standardToArrayBuffer } from "../../platform/binary.js";
import { blobSupport, type BlobClass } from "../../platform/blob.js";
import type { Platform, PlatformSocket, SocketHandlers, SocketRequest } from "../../platform/contract.js";
import { createBrowserPlatform, type BrowserGlobals, type BrowserWebSocket } from "../browser/browser-platform.js";
import type { FileReaderLike } from "./binary-inbox.js";
import { wireInboxSocket } from "./inbox-socket.js";

/** The WebSocket shape Bun and Deno share: the browser's. */
export type RuntimeWebSocket = BrowserWebSocket;

/** `new WebSocket(url, { protocols, headers })`, as Bun and Deno take it. */
export type RuntimeWebSocketConstructor = new (
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> },
) => RuntimeWebSocket;

/** The globals this adapter reads; injectable for tests. */
export interface WebRuntimeGlobals extends Pick<
  BrowserGlobals,
  "fetch" | "AbortController" | "setTimeout" | "clearTimeout"
> {
  WebSocket?: RuntimeWebSocketConstructor;
  FileReader?: new () => FileReaderLike;
  /** `Blob` (and `File`): emitting one sends its bytes. */
  Blob?: BlobClass;
  crypto?: { getRandomValues(array: Uint8Array): Uint8Array };
  /**
   * Node's `Buffer`, which Bun and Deno 2 both provide: a custom `parser`'s decoder gets binary
   * as a Buffer there, since npm codecs resolve to their Node builds (socket.io-msgpack-parser's
   * refuses an `ArrayBuffer`).
   */
  Buffer?: { from(data: ArrayBuffer): unknown };
}

/** Builds the platform of a Web-API runtime; `name` is `"bun"` or `"deno"`. */
export function createWebRuntimePlatform(name: string, g: WebRuntimeGlobals): Platform {
  // Polling is the browser platform's fetch requester (credentials are ignored by these runtimes).
  const { request } = createBrowserPlatform({
    globals: {
      fetch: g.fetch,
      AbortController: g.AbortController,
      setTimeout: g.setTimeout,
      clearTimeout: g.clearTimeout,
    },
  });
  const WS = g.WebSocket;
  const { crypto, Buffer } = g;
  return {
    name,
    createSocket: WS === undefined ? undefined : (req, handlers) => openRuntimeSocket(WS, req, handlers, g.FileReader),
    request,
    setTimeout: (callback, ms) => g.setTimeout(callback, ms),
    clearTimeout: (handle) => g.clearTimeout(handle),
    now: () => Date.now(),
    toArrayBuffer: standardToArrayBuffer,
    // A view of the same memory, no copy.
    ...(Buffer === undefined ? {} : { toParserBinary: (data: ArrayBuffer) => Buffer.from(data) }),
    ...(crypto === undefined
      ? {}
      : { randomBytes: (length: number) => crypto.getRandomValues(new Uint8Array(length)) }),
    ...blobSupport(g.Blob),
  };
}

function openRuntimeSocket(
  WS: RuntimeWebSocketConstructor,
  request: SocketRequest,
  handlers: SocketHandlers,
  FileReader: (new () => FileReaderLike) | undefined,
): PlatformSocket {
  const ws = new WS(request.url, { protocols: [...request.protocols], headers: { ...request.headers } });
  return wireInboxSocket(ws, handlers, FileReader, (event) => event);
}
