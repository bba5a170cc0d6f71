/**
 * The browser platform (pages, Web Workers, Service Workers): the global `WebSocket`, `fetch`
 * for polling with an `XMLHttpRequest` fallback, and `online`/`offline` plus `visibilitychange`
 * as lifecycle signals. DOM types are not loaded in this package, so the few shapes used are
 * declared here. Only an adapter to the `Platform` contract.
 */
import { standardToArrayBuffer } from "../../platform/binary.js";
import { blobSupport, type BlobClass } from "../../platform/blob.js";
import type {
  HttpHandlers,
  HttpRequest,
  HttpResponse,
  HttpTask,
  Platform,
  PlatformLifecycle,
  PlatformSocket,
  SocketHandlers,
  SocketRequest,
  Unsubscribe,
} from "../../platform/contract.js";

/** The browser's WebSocket, as far as the adapters use it (Bun and Deno share its shape). */
export interface BrowserWebSocket {
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: unknown; reason?: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}
type BrowserWebSocketConstructor = new (url: string, protocols?: string[]) => BrowserWebSocket;

interface FetchResponse {
  status: number;
  headers: { forEach(callback: (value: string, key: string) => void): void };
  text(): Promise<string>;
}
interface AbortControllerLike {
  signal: unknown;
  abort(): void;
}
type FetchFunction = (url: string, init: Record<string, unknown>) => Promise<FetchResponse>;

interface XhrLike {
  open(method: string, url: string, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  withCredentials: boolean;
  timeout: number;
  status: number;
  responseText: string;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  ontimeout: (() => void) | null;
  getAllResponseHeaders(): string;
  send(body?: string | null): void;
  abort(): void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The browser globals this adapter reads; injectable for tests. */
export interface BrowserGlobals {
  WebSocket?: BrowserWebSocketConstructor;
  fetch?: FetchFunction;
  AbortController?: new () => AbortControllerLike;
  XMLHttpRequest?: new () => XhrLike;
  addEventListener?: EventTargetLike["addEventListener"];
  removeEventListener?: EventTargetLike["removeEventListener"];
  navigator?: { onLine?: boolean };
  document?: EventTargetLike & { visibilityState?: string };
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** `Blob` (and therefore `File`). */
  Blob?: BlobClass;
  /** Web Crypto (every page and worker; absent only in very old WebViews). */
  crypto?: { getRandomValues<T extends Uint8Array>(array: T): T };
  /** Present in service workers (the global object is an instance of it). */
  ServiceWorkerGlobalScope?: abstract new (...args: never[]) => unknown;
}

/** Options of {@link createBrowserPlatform}. */
export interface BrowserPlatformOptions {
  /**
   * Use `XMLHttpRequest` for polling even when `fetch` exists (old WebViews).
   * @default false
   */
  forceXhr?: boolean;
  /**
   * The global object to read APIs from.
   * @default globalThis
   */
  globals?: BrowserGlobals;
}

/**
 * Creates the browser platform from the host's globals (read once, here).
 *
 * @example
 * const engine = new EngineSocket(location.origin, { platform: createBrowserPlatform(), path: "/socket.io" });
 */
export function createBrowserPlatform(options: BrowserPlatformOptions = {}): Platform {
  const g = options.globals ?? (globalThis as unknown as BrowserGlobals);
  const { WebSocket: WS, fetch: fetchFn, XMLHttpRequest: XHR, crypto } = g;
  return {
    name: "browser",
    createSocket: WS && ((request, handlers) => openBrowserSocket(WS, request, handlers)),
    request:
      fetchFn && !(options.forceXhr && XHR) ? httpRequester(g, fetchFn) : XHR && httpRequester(g, undefined, XHR),
    setTimeout: (callback, ms) => g.setTimeout(callback, ms),
    clearTimeout: (handle) => g.clearTimeout(handle),
    now: () => Date.now(),
    toArrayBuffer: standardToArrayBuffer,
    lifecycle: browserLifecycle(g),
    randomBytes: crypto && ((length) => crypto.getRandomValues(new Uint8Array(length))),
    ...blobSupport(g.Blob),
  };
}

function openBrowserSocket(
  WS: BrowserWebSocketConstructor,
  request: SocketRequest,
  handlers: SocketHandlers,
): PlatformSocket {
  // Browsers cannot set WebSocket headers: `request.headers` is ignored here by necessity.
  const ws = new WS(request.url, [...request.protocols]);
  // Set by the first terminal event and by `close()`: nothing is reported after it.
  let done = false;
  ws.binaryType = "arraybuffer";
  ws.onopen = () => {
    if (!done) handlers.onOpen();
  };
  ws.onmessage = ({ data }) => {
    const frame = typeof data === "string" ? data : standardToArrayBuffer(data);
    if (!done && frame !== undefined) handlers.onMessage(frame);
  };
  ws.onclose = ({ code, reason }) => {
    if (!done) {
      done = true;
      handlers.onClose(typeof code === "number" ? code : 1006, typeof reason === "string" ? reason : "");
    }
  };
  ws.onerror = (event) => {
    if (!done) {
      done = true;
      handlers.onError(event);
    }
  };
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => {
      done = true;
      ws.close(code, reason);
    },
  };
}

/**
 * Polling requests over `fetch` (given `fetchFn`) or `XMLHttpRequest`. Both share one timeout
 * timer (which aborts the host request) and report exactly once, never after `abort()`.
 */
function httpRequester(
  g: BrowserGlobals,
  fetchFn: FetchFunction | undefined,
  XHR?: new () => XhrLike,
): (r: HttpRequest, h: HttpHandlers) => HttpTask {
  return ({ method, url, headers, body, timeout, withCredentials }, handlers) => {
    let settled = false;
    let timer: unknown;
    // True the first time only: the request is then over (answered, failed, timed out or aborted).
    const settle = (): boolean => {
      if (timer !== undefined) g.clearTimeout(timer);
      return !settled && (settled = true);
    };
    const respond = (response: HttpResponse): void => {
      if (settle()) handlers.onResponse(response);
    };
    const fail = (error: unknown): void => {
      if (settle()) handlers.onError(error);
    };
    let cancel: () => void;
    if (fetchFn) {
      const controller = g.AbortController && new g.AbortController();
      cancel = () => controller?.abort();
      fetchFn(url, {
        method,
        headers,
        body,
        credentials: withCredentials ? "include" : "omit",
        signal: controller?.signal,
      }).then((res) => {
        const received: Record<string, string> = {};
        res.headers.forEach((value, key) => (received[key.toLowerCase()] = value));
        res.text().then((text) => respond({ status: res.status, headers: received, body: text }), fail);
      }, fail);
    } else {
      const xhr = new XHR!();
      cancel = () => xhr.abort();
      xhr.open(method, url, true);
      for (const name in headers) xhr.setRequestHeader(name, headers[name]!);
      xhr.withCredentials = withCredentials;
      xhr.onload = () =>
        respond({ status: xhr.status, headers: parseHeaders(xhr.getAllResponseHeaders()), body: xhr.responseText });
      xhr.onerror = () => fail(new Error(`XHR failed with status ${xhr.status}.`));
      xhr.send(body ?? null);
    }
    if (timeout > 0) {
      timer = g.setTimeout(() => {
        if (settle()) {
          cancel();
          handlers.onError(new Error(`Request timed out after ${timeout} ms.`));
        }
      }, timeout);
    }
    return {
      abort() {
        settle();
        cancel();
      },
    };
  };
}

/** `getAllResponseHeaders()` text → lower-case names to values. */
function parseHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.split("\n")) {
    const colon = line.indexOf(":");
    // `trim()` also drops the `\r` of each CRLF line end.
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** Adds `listener` for `type` on `target`; returns its removal. */
function listen(target: EventTargetLike, type: string, listener: () => void): Unsubscribe {
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}

function browserLifecycle(g: BrowserGlobals): PlatformLifecycle | undefined {
  const doc = g.document;
  if (!g.addEventListener && !doc) return undefined;
  const lifecycle: PlatformLifecycle = {};
  // A service worker gets no online/offline/beforeunload events, and Chromium warns about every
  // listener added after the worker's first evaluation (which a socket opened later always is).
  const serviceWorker = g.ServiceWorkerGlobalScope && g instanceof g.ServiceWorkerGlobalScope;
  if (g.addEventListener && g.removeEventListener && !serviceWorker) {
    const win = g as EventTargetLike;
    lifecycle.onNetworkChange = (listener) => {
      const offline = listen(win, "offline", () => listener(false));
      const online = listen(win, "online", () => listener(true));
      return () => {
        offline();
        online();
      };
    };
    lifecycle.onBeforeUnload = (listener) => listen(win, "beforeunload", () => listener());
  }
  if (doc) {
    lifecycle.onVisibilityChange = (listener) =>
      listen(doc, "visibilitychange", () => listener(doc.visibilityState !== "hidden"));
  }
  return lifecycle;
}
