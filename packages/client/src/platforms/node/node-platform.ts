/**
 * The Node platform: WebSocket through the `ws` package (given explicitly, or imported on first
 * use; Node's global `WebSocket` as a last resort), polling through `node:http`/`node:https`,
 * and a per-platform cookie jar for sticky sessions. Only an adapter to the `Platform` contract.
 */
import { request as httpRequest, type Agent, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { randomBytes } from "node:crypto";
import { Blob, Buffer } from "node:buffer";
import type {
  HttpHandlers,
  HttpRequest,
  HttpTask,
  Platform,
  PlatformSocket,
  SocketHandlers,
  SocketRequest,
} from "../../platform/contract.js";
import { standardToArrayBuffer } from "../../platform/binary.js";
import { blobSupport } from "../../platform/blob.js";
import { CookieJar } from "./cookie-jar.js";

/** The subset of a `ws`-compatible WebSocket class this adapter uses. */
export interface NodeWebSocketLike {
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: unknown; reason?: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | ArrayBuffer, options?: { compress?: boolean }): void;
  close(code?: number, reason?: string): void;
}

/** A `ws`-compatible constructor (the third argument carries `headers`, as in `ws`). */
export type NodeWebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string>; agent?: Agent; rejectUnauthorized?: boolean },
) => NodeWebSocketLike;

/** Options of {@link createNodePlatform}. */
export interface NodePlatformOptions {
  /**
   * The WebSocket class, usually `ws`'s default export. When absent, `ws` is imported on the
   * first connection (it is an optional peer dependency), then Node's global `WebSocket`.
   * @default undefined
   */
  WebSocket?: NodeWebSocketConstructor;
  /**
   * Keep cookies from polling responses and replay them (sticky-session load balancers).
   * @default true
   */
  cookies?: boolean;
  /**
   * HTTP agent for polling and the WebSocket handshake.
   * @default undefined (Node's global agent)
   */
  agent?: Agent;
  /**
   * Reject TLS certificates that do not verify.
   * @default true
   */
  rejectUnauthorized?: boolean;
}

/**
 * Creates a Node platform. Each platform has its own cookie jar; share one platform between
 * connections that should share cookies.
 *
 * @example
 * import WebSocket from "ws";
 * const platform = createNodePlatform({ WebSocket });
 */
export function createNodePlatform(options: NodePlatformOptions = {}): Platform {
  const jar = options.cookies === false ? undefined : new CookieJar();
  let ctor: NodeWebSocketConstructor | undefined = options.WebSocket;
  let loading: Promise<NodeWebSocketConstructor> | undefined;
  const loadWebSocket = (): Promise<NodeWebSocketConstructor> =>
    (loading ??= importWs().then((loaded) => (ctor = loaded)));

  return {
    name: "node",
    createSocket(request: SocketRequest, handlers: SocketHandlers): PlatformSocket {
      const headers: Record<string, string> = { ...request.headers };
      const cookie = jar?.header();
      if (cookie !== undefined && headers.cookie === undefined) headers.cookie = cookie;
      const wsOptions = {
        headers,
        ...(options.agent ? { agent: options.agent } : {}),
        rejectUnauthorized: options.rejectUnauthorized ?? true,
      };
      return new NodeSocket(request, wsOptions, handlers, ctor, loadWebSocket);
    },
    request(request: HttpRequest, handlers: HttpHandlers): HttpTask {
      return nodeRequest(request, handlers, jar, options);
    },
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    toArrayBuffer: standardToArrayBuffer,
    // A view of the same memory, no copy.
    toParserBinary: (data) => Buffer.from(data),
    randomBytes: (length) => new Uint8Array(randomBytes(length)),
    ...blobSupport(Blob),
  };
}

async function importWs(): Promise<NodeWebSocketConstructor> {
  try {
    // A variable specifier keeps `ws` optional for type checking and bundlers; `any` because
    // the module's shape is only known at run time.
    const specifier = "ws";
    const mod: any = await import(specifier); // eslint-disable-line @typescript-eslint/no-explicit-any -- see above
    return (mod.default ?? mod.WebSocket) as NodeWebSocketConstructor;
  } catch (cause) {
    const global = (globalThis as { WebSocket?: NodeWebSocketConstructor }).WebSocket;
    if (global !== undefined) return global;
    throw new Error("No WebSocket implementation: install the `ws` package or pass `WebSocket`.", { cause });
  }
}

/** Wraps a `ws` socket; when `ws` still has to be imported, creation waits for it. */
class NodeSocket implements PlatformSocket {
  #ws: NodeWebSocketLike | undefined;
  #closed = false;
  #done = false;
  readonly #handlers: SocketHandlers;

  constructor(
    request: SocketRequest,
    wsOptions: { headers: Record<string, string>; agent?: Agent; rejectUnauthorized: boolean },
    handlers: SocketHandlers,
    ctor: NodeWebSocketConstructor | undefined,
    load: () => Promise<NodeWebSocketConstructor>,
  ) {
    this.#handlers = handlers;
    if (ctor !== undefined) {
      this.#start(ctor, request, wsOptions);
    } else {
      load().then(
        (loaded) => {
          if (!this.#closed) this.#start(loaded, request, wsOptions);
        },
        (error: unknown) => this.#terminal(() => handlers.onError(error)),
      );
    }
  }

  #start(
    Ctor: NodeWebSocketConstructor,
    request: SocketRequest,
    wsOptions: { headers: Record<string, string>; agent?: Agent; rejectUnauthorized: boolean },
  ): void {
    const ws = new Ctor(request.url, [...request.protocols], wsOptions);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      if (!this.#done) this.#handlers.onOpen();
    };
    ws.onmessage = (event) => {
      if (this.#done) return;
      const data = event.data;
      if (typeof data === "string") return this.#handlers.onMessage(data);
      const buffer = standardToArrayBuffer(data);
      if (buffer !== undefined) this.#handlers.onMessage(buffer);
    };
    ws.onclose = (event) => {
      const code = typeof event.code === "number" ? event.code : 1006;
      const reason = typeof event.reason === "string" ? event.reason : "";
      this.#terminal(() => this.#handlers.onClose(code, reason));
    };
    ws.onerror = (event) => this.#terminal(() => this.#handlers.onError(event));
    this.#ws = ws;
  }

  #terminal(report: () => void): void {
    if (this.#done) return;
    this.#done = true;
    report();
  }

  send(data: string | ArrayBuffer, compress?: boolean): void {
    // `ws` takes `{ compress }` per message; without it, its own default applies.
    if (compress === undefined) this.#ws?.send(data);
    else this.#ws?.send(data, { compress });
  }

  close(code?: number, reason?: string): void {
    this.#closed = true;
    this.#done = true;
    this.#ws?.close(code, reason);
  }
}

function nodeRequest(
  request: HttpRequest,
  handlers: HttpHandlers,
  jar: CookieJar | undefined,
  options: NodePlatformOptions,
): HttpTask {
  let settled = false;
  const finish = (report: () => void): void => {
    if (settled) return;
    settled = true;
    report();
  };
  const headers: Record<string, string> = { ...request.headers };
  const cookie = jar?.header();
  if (cookie !== undefined && headers.cookie === undefined) headers.cookie = cookie;
  if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
  const send = request.url.startsWith("https:") ? httpsRequest : httpRequest;
  const req = send(request.url, {
    method: request.method,
    headers,
    ...(options.agent ? { agent: options.agent } : {}),
    ...(request.url.startsWith("https:") ? { rejectUnauthorized: options.rejectUnauthorized ?? true } : {}),
  });
  if (request.timeout > 0) {
    req.setTimeout(request.timeout, () => {
      req.destroy(new Error(`Request timed out after ${request.timeout} ms.`));
    });
  }
  req.on("response", (res: IncomingMessage) => {
    jar?.store(res.headers["set-cookie"], Date.now());
    res.setEncoding("utf8");
    let body = "";
    res.on("data", (chunk: string) => (body += chunk));
    res.on("end", () => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      finish(() => handlers.onResponse({ status: res.statusCode ?? 0, headers: out, body }));
    });
    res.on("error", (error) => finish(() => handlers.onError(error)));
  });
  req.on("error", (error) => finish(() => handlers.onError(error)));
  req.end(request.body);
  return {
    abort() {
      settled = true;
      req.destroy();
    },
  };
}
