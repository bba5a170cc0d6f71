/**
 * The React Native platform (miniprogram-platforms §6.1):
 * - WebSocket: the global `WebSocket`, whose non-standard third argument `{ headers }` carries
 *   `extraHeaders` (as engine.io-client does on RN). `binaryType` is set to `"arraybuffer"`;
 *   versions that still deliver a `Blob` are read through `FileReader` (RN ≥ 0.73.1) or
 *   `Blob.arrayBuffer()`, in arrival order. RN reports a failure as `error` then `close`: the
 *   core hears it once.
 * - Polling: `XMLHttpRequest` (RN's native networking keeps cookies; `withCredentials` is passed
 *   through), text bodies only, so old RN's missing `responseType: "arraybuffer"` never matters.
 * - Lifecycle: from an `AppState`-like and a `NetInfo`-like object passed by the app.
 * Only an adapter to the `Platform` contract.
 */
import { standardToArrayBuffer } from "../../platform/binary.js";
import type { Platform, PlatformSocket, SocketHandlers, SocketRequest } from "../../platform/contract.js";
import { createBrowserPlatform, type BrowserGlobals } from "../browser/browser-platform.js";
import { readBlobLike, type FileReaderLike } from "../web-runtime/binary-inbox.js";
import { wireInboxSocket } from "../web-runtime/inbox-socket.js";
import { reactNativeLifecycle, type AppStateLike, type NetInfoLike } from "./react-native-lifecycle.js";

/** React Native's WebSocket, as far as this adapter uses it. */
export interface RNWebSocket {
  binaryType: string | undefined;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: unknown; reason?: unknown }) => void) | null;
  onerror: ((event: { message?: unknown }) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

/** `new WebSocket(url, protocols, { headers })`: React Native's constructor. */
export type RNWebSocketConstructor = new (
  url: string,
  protocols?: string | string[] | null,
  options?: { headers?: Record<string, string> },
) => RNWebSocket;

/** The React Native globals this adapter reads; injectable for tests. */
export interface ReactNativeGlobals extends Pick<BrowserGlobals, "XMLHttpRequest" | "setTimeout" | "clearTimeout"> {
  WebSocket?: RNWebSocketConstructor;
  FileReader?: new () => FileReaderLike;
  /** RN's `Blob` (no `arrayBuffer()`; read through `FileReader`): emitting one sends its bytes. */
  Blob?: abstract new (...args: never[]) => unknown;
  /** Present when the app installed a `crypto.getRandomValues` polyfill. */
  crypto?: { getRandomValues(array: Uint8Array): Uint8Array };
}

/** Options of {@link createReactNativePlatform}. */
export interface ReactNativePlatformOptions {
  /**
   * React Native's `AppState` (`import { AppState } from "react-native"`): coming back to the
   * foreground re-checks the heartbeat deadline and cuts a reconnection delay short.
   * @default undefined (no visibility signal)
   */
  appState?: AppStateLike;
  /**
   * `NetInfo` from `@react-native-community/netinfo`: losing the network closes the transport at
   * once; getting it back reconnects at once with the backoff reset.
   * @default undefined (no network signal)
   */
  netInfo?: NetInfoLike;
  /**
   * The global object to read `WebSocket`, `XMLHttpRequest`, `FileReader`, timers from.
   * @default globalThis
   */
  globals?: ReactNativeGlobals;
}

/**
 * Creates the React Native platform.
 *
 * @example
 * import { AppState } from "react-native";
 * import NetInfo from "@react-native-community/netinfo";
 * import { io, createReactNativePlatform } from "@omnio/client/react-native";
 * const socket = io("https://chat.example.com", {
 *   platform: createReactNativePlatform({ appState: AppState, netInfo: NetInfo }),
 * });
 */
export function createReactNativePlatform(options: ReactNativePlatformOptions = {}): Platform {
  const g = options.globals ?? (globalThis as unknown as ReactNativeGlobals);
  // XHR polling through the browser platform's requester: given no `fetch`, it uses XHR.
  const { request } = createBrowserPlatform({
    globals: { XMLHttpRequest: g.XMLHttpRequest, setTimeout: g.setTimeout, clearTimeout: g.clearTimeout },
  });
  const WS = g.WebSocket;
  const crypto = g.crypto;
  const lifecycle = reactNativeLifecycle(options.appState, options.netInfo);
  return {
    name: "react-native",
    createSocket: WS === undefined ? undefined : (req, handlers) => openRNSocket(WS, req, handlers, g.FileReader),
    request,
    setTimeout: (callback, ms) => g.setTimeout(callback, ms),
    clearTimeout: (handle) => g.clearTimeout(handle),
    now: () => Date.now(),
    toArrayBuffer: standardToArrayBuffer,
    ...(lifecycle === undefined ? {} : { lifecycle }),
    ...(crypto === undefined
      ? {}
      : { randomBytes: (length: number) => crypto.getRandomValues(new Uint8Array(length)) }),
    ...rnBlobSupport(g.Blob, g.FileReader),
  };
}

/** `isBlob`/`readBlob` over RN's Blob, read with FileReader (RN ≥ 0.73.1) or `arrayBuffer()`. */
function rnBlobSupport(
  BlobClass: ReactNativeGlobals["Blob"],
  FileReader: ReactNativeGlobals["FileReader"],
): Pick<Platform, "isBlob" | "readBlob"> {
  if (BlobClass === undefined) return {};
  return {
    isBlob: (data) => data instanceof BlobClass,
    readBlob: (blob, callback) =>
      readBlobLike(
        blob,
        FileReader,
        (buffer) => callback(buffer),
        (error) => callback(undefined, error),
      ),
  };
}

function openRNSocket(
  WS: RNWebSocketConstructor,
  request: SocketRequest,
  handlers: SocketHandlers,
  FileReader: (new () => FileReaderLike) | undefined,
): PlatformSocket {
  const ws = new WS(request.url, [...request.protocols], { headers: { ...request.headers } });
  // RN dispatches `error` ({ message }) and then `close` (1006) for one failure: reported once.
  return wireInboxSocket(
    ws,
    handlers,
    FileReader,
    (event) => new Error(typeof event?.message === "string" ? event.message : "WebSocket error"),
  );
}
