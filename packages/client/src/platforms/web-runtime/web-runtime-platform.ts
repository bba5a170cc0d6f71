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
import { createBrowserPlatform, type BrowserGlobals } from "../browser/browser-platform.js";
import { BinaryInbox, type FileReaderLike } from "./binary-inbox.js";

/** The WebSocket shape Bun and Deno share. */
export interface RuntimeWebSocket {
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: unknown; reason?: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

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
  const crypto = g.crypto;
  return {
    name,
    createSocket: WS === undefined ? undefined : (req, handlers) => openRuntimeSocket(WS, req, handlers, g.FileReader),
    request,
    setTimeout: (callback, ms) => g.setTimeout(callback, ms),
    clearTimeout: (handle) => g.clearTimeout(handle),
    now: () => Date.now(),
    toArrayBuffer: standardToArrayBuffer,
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
  ws.binaryType = "arraybuffer";
  let done = false;
  const terminal = (report: () => void): void => {
    if (done) return;
    done = true;
    inbox.close();
    report();
  };
  const inbox = new BinaryInbox(
    {
      onMessage: (data) => {
        if (!done) handlers.onMessage(data);
      },
      onError: (error) => {
        terminal(() => handlers.onError(error));
        ws.close();
      },
    },
    FileReader,
  );
  ws.onopen = () => {
    if (!done) handlers.onOpen();
  };
  ws.onmessage = (event) => inbox.receive(event.data);
  ws.onclose = (event) =>
    terminal(() =>
      handlers.onClose(
        typeof event.code === "number" ? event.code : 1006,
        typeof event.reason === "string" ? event.reason : "",
      ),
    );
  ws.onerror = (event) => terminal(() => handlers.onError(event));
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => {
      done = true;
      inbox.close();
      ws.close(code, reason);
    },
  };
}
