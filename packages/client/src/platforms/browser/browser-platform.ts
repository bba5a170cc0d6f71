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
  HttpTask,
  Platform,
  PlatformLifecycle,
  PlatformSocket,
  SocketHandlers,
  SocketRequest,
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
 * Creates the browser platform from the host's globals.
 *
 * @example
 * const engine = new EngineSocket(location.origin, { platform: createBrowserPlatform(), path: "/socket.io" });
 */
export function createBrowserPlatform(options: BrowserPlatformOptions = {}): Platform {
  const g = options.globals ?? (globalThis as unknown as BrowserGlobals);
  const WS = g.WebSocket;
  const useFetch = g.fetch !== undefined && !(options.forceXhr === true && g.XMLHttpRequest !== undefined);
  const request =
    useFetch && g.fetch !== undefined
      ? fetchRequester(g, g.fetch)
      : g.XMLHttpRequest !== undefined
        ? xhrRequester(g.XMLHttpRequest)
        : undefined;
  return {
    name: "browser",
    createSocket: WS === undefined ? undefined : (req, handlers) => openBrowserSocket(WS, req, handlers),
    request,
    setTimeout: (callback, ms) => g.setTimeout(callback, ms),
    clearTimeout: (handle) => g.clearTimeout(handle),
    now: () => Date.now(),
    toArrayBuffer: standardToArrayBuffer,
    lifecycle: browserLifecycle(g),
    randomBytes: g.crypto === undefined ? undefined : (length) => g.crypto!.getRandomValues(new Uint8Array(length)),
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
  ws.binaryType = "arraybuffer";
  let done = false;
  ws.onopen = () => {
    if (!done) handlers.onOpen();
  };
  ws.onmessage = (event) => {
    if (done) return;
    if (typeof event.data === "string") return handlers.onMessage(event.data);
    const buffer = standardToArrayBuffer(event.data);
    if (buffer !== undefined) handlers.onMessage(buffer);
  };
  ws.onclose = (event) => {
    if (done) return;
    done = true;
    handlers.onClose(
      typeof event.code === "number" ? event.code : 1006,
      typeof event.reason === "string" ? event.reason : "",
    );
  };
  ws.onerror = (event) => {
    if (done) return;
    done = true;
    handlers.onError(event);
  };
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => {
      done = true;
      ws.close(code, reason);
    },
  };
}

function fetchRequester(g: BrowserGlobals, fetchFn: FetchFunction): (r: HttpRequest, h: HttpHandlers) => HttpTask {
  return (request, handlers) => {
    let settled = false;
    const controller = g.AbortController === undefined ? undefined : new g.AbortController();
    const timer =
      request.timeout > 0
        ? g.setTimeout(() => {
            if (settled) return;
            settled = true;
            controller?.abort();
            handlers.onError(new Error(`Request timed out after ${request.timeout} ms.`));
          }, request.timeout)
        : undefined;
    const finish = (report: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) g.clearTimeout(timer);
      report();
    };
    fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      credentials: request.withCredentials ? "include" : "omit",
      ...(controller ? { signal: controller.signal } : {}),
    }).then(
      (res) => {
        const headers: Record<string, string> = {};
        res.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
        res.text().then(
          (body) => finish(() => handlers.onResponse({ status: res.status, headers, body })),
          (error: unknown) => finish(() => handlers.onError(error)),
        );
      },
      (error: unknown) => finish(() => handlers.onError(error)),
    );
    return {
      abort() {
        settled = true;
        if (timer !== undefined) g.clearTimeout(timer);
        controller?.abort();
      },
    };
  };
}

function xhrRequester(XHR: new () => XhrLike): (r: HttpRequest, h: HttpHandlers) => HttpTask {
  return (request, handlers) => {
    const xhr = new XHR();
    let settled = false;
    const finish = (report: () => void): void => {
      if (settled) return;
      settled = true;
      report();
    };
    xhr.open(request.method, request.url, true);
    for (const name of Object.keys(request.headers)) xhr.setRequestHeader(name, request.headers[name]!);
    xhr.withCredentials = request.withCredentials;
    xhr.timeout = request.timeout;
    xhr.onload = () =>
      finish(() =>
        handlers.onResponse({
          status: xhr.status,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
          body: xhr.responseText,
        }),
      );
    xhr.onerror = () => finish(() => handlers.onError(new Error(`XHR failed with status ${xhr.status}.`)));
    xhr.ontimeout = () => finish(() => handlers.onError(new Error(`Request timed out after ${request.timeout} ms.`)));
    xhr.send(request.body ?? null);
    return {
      abort() {
        settled = true;
        xhr.abort();
      },
    };
  };
}

function parseHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function browserLifecycle(g: BrowserGlobals): PlatformLifecycle | undefined {
  const add = g.addEventListener;
  const remove = g.removeEventListener;
  const doc = g.document;
  if (add === undefined && doc === undefined) return undefined;
  const lifecycle: PlatformLifecycle = {};
  if (add !== undefined && remove !== undefined) {
    lifecycle.onNetworkChange = (listener) => {
      const offline = (): void => listener(false);
      const online = (): void => listener(true);
      add.call(g, "offline", offline);
      add.call(g, "online", online);
      return () => {
        remove.call(g, "offline", offline);
        remove.call(g, "online", online);
      };
    };
  }
  if (add !== undefined && remove !== undefined) {
    lifecycle.onBeforeUnload = (listener) => {
      const onUnload = (): void => listener();
      add.call(g, "beforeunload", onUnload);
      return () => remove.call(g, "beforeunload", onUnload);
    };
  }
  if (doc !== undefined) {
    lifecycle.onVisibilityChange = (listener) => {
      const onChange = (): void => listener(doc.visibilityState !== "hidden");
      doc.addEventListener("visibilitychange", onChange);
      return () => doc.removeEventListener("visibilitychange", onChange);
    };
  }
  return lifecycle;
}
