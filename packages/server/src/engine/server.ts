/**
 * The runtime-neutral Engine.IO server: request verification, handshake, polling
 * dispatch and WebSocket session creation/upgrade (Engine.IO protocol v4 and v3). Runtime
 * adapters turn their HTTP and WebSocket objects into the contracts of `contracts.ts`.
 */
import { Emitter } from "@omnio/protocol";
import type { Clock, EngineRequest, EngineResponse, EngineRuntime, WebSocketConnection } from "./contracts.js";
import { serializeCookie } from "./cookie.js";
import { corsHeaders } from "./cors.js";
import { DeadlineQueue, systemClock } from "./deadline-queue.js";
import { EngineErrorCode, requestError, type EngineRequestError } from "./errors.js";
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from "./options.js";
import { first, parseQuery, type QueryMap } from "./query.js";
import { randomId } from "./session-id.js";
import { EngineSocket, type SessionHost } from "./socket.js";
import { PollingTransport, type PollingHost } from "./transport-polling.js";
import { WebSocketTransport } from "./transport-websocket.js";

type Headers = Record<string, string | string[]>;

/** Payload of the `connection_error` event. */
export interface ConnectionErrorEvent {
  req: unknown;
  code: number;
  message: string;
  context: Record<string, unknown>;
}

export interface EngineServerEvents {
  connection: (socket: EngineSocket) => void;
  connection_error: (err: ConnectionErrorEvent) => void;
  /** First response of a session (handshake); add headers such as `Set-Cookie`. */
  initial_headers: (headers: Headers, req: unknown) => void;
  /** Every response; add or change headers. */
  headers: (headers: Headers, req: unknown) => void;
}

/** Express-style middleware run before every polling request and WebSocket upgrade. */
export type EngineMiddleware = (req: any, res: any, next: (err?: unknown) => void) => void; // eslint-disable-line @typescript-eslint/no-explicit-any -- the runtime's own req/res types (Node: IncomingMessage/ServerResponse)

/** Result of preparing a WebSocket upgrade. */
export type UpgradeDecision =
  { ok: false; error: EngineRequestError } | { ok: true; headers: Headers; accept(conn: WebSocketConnection): void };

// Control characters are not allowed in header values (engine.io #517: reflected Origin).
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

function header(req: EngineRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class EngineServer extends Emitter<EngineServerEvents> {
  readonly opts: ResolvedEngineOptions;
  /** Open sessions by id. */
  readonly clients = new Map<string, EngineSocket>();
  /** Override to choose session ids (may return a Promise; a throw answers 400). */
  generateId: (req: unknown) => string | Promise<string>;
  readonly #middlewares: EngineMiddleware[] = [];
  readonly #baseHeaders = new WeakMap<EngineRequest, Headers>();
  readonly #sessionHost: SessionHost;
  readonly #pollingHost: PollingHost;

  constructor(
    options: EngineOptions,
    readonly runtime: EngineRuntime,
    readonly clock: Clock = systemClock,
  ) {
    super();
    const o = (this.opts = resolveEngineOptions(options));
    this.generateId = () => randomId(runtime.randomBytes);
    const byteLength = (d: string | Uint8Array): number => (typeof d === "string" ? runtime.byteLength(d) : d.length);
    this.#sessionHost = {
      pingQueue: new DeadlineQueue(o.pingInterval, clock),
      pongQueue: new DeadlineQueue(o.pingTimeout, clock),
      v3Queue: new DeadlineQueue(o.pingInterval + o.pingTimeout, clock),
      upgradeTimeout: o.upgradeTimeout,
      maxWriteBufferSize: o.maxWriteBufferSize,
      pingInterval: o.pingInterval,
      pingTimeout: o.pingTimeout,
      byteLength,
      onSessionClosed: (s) => {
        if (this.clients.get(s.id) === s) this.clients.delete(s.id);
      },
    };
    this.#pollingHost = {
      runtime,
      maxHttpBufferSize: o.maxHttpBufferSize,
      maxBufferedChunks: o.maxBufferedChunks,
      httpRequestBodyTimeout: o.httpRequestBodyTimeout,
      maxPacketsPerPayload: o.maxPacketsPerPayload,
      compressionThreshold: o.httpCompression ? o.httpCompression.threshold : false,
      responseHeaders: (req) => Promise.resolve(this.#responseHeaders(req, undefined)),
      // engine.io answers these transport-level refusals (overlap, 408, 413, binary body on
      // EIO4) with the bare status and an empty body, and no `connection_error`.
      fail: (req, res, status) => res.send(status, { ...(this.#baseHeaders.get(req) ?? {}) }, ""),
    };
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.clients.size;
  }

  /** Adds a middleware (express-style `(req, res, next)`), run before polling requests and upgrades. */
  use(fn: EngineMiddleware): this {
    this.#middlewares.push(fn);
    return this;
  }

  /** Whether a request path belongs to this engine (`path` + `addTrailingSlash`). */
  matchesPath(url: string): boolean {
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    const path = this.opts.path;
    return this.opts.addTrailingSlash ? pathname.startsWith(path + "/") : pathname.startsWith(path);
  }

  /** Handles one HTTP request on the engine path (polling, handshake, preflight). */
  async handleRequest(req: EngineRequest, res: EngineResponse): Promise<void> {
    const query = parseQuery(req.url);
    const o = this.opts;
    const origin = header(req, "origin");
    // A malformed Origin is never reflected into a header (writing it would throw); #verify
    // refuses the request with INVALID_ORIGIN, preflights included.
    if (o.cors && !(origin !== undefined && INVALID_HEADER_CHAR.test(origin))) {
      let cors: Headers = {};
      try {
        cors = await corsHeaders(
          o.cors,
          origin,
          header(req, "access-control-request-headers"),
          req.method === "OPTIONS",
        );
      } catch {
        cors = {};
      }
      this.#baseHeaders.set(req, cors);
      if (req.method === "OPTIONS") {
        res.send(o.cors.optionsSuccessStatus ?? 204, { ...cors, "Content-Length": "0" }, "");
        return;
      }
    }
    if (!(await this.#runMiddlewares(req, res))) return;
    if (res.sent) return;
    const error = await this.#verify(req, query, false);
    if (error) {
      this.#respondError(req, res, error);
      return;
    }
    const sid = first(query["sid"]);
    if (sid !== undefined) {
      // Re-read after the awaits above: the session may have closed or upgraded meanwhile.
      const socket = this.clients.get(sid);
      if (!socket || !(socket.transport instanceof PollingTransport)) {
        this.#respondError(
          req,
          res,
          requestError(socket ? EngineErrorCode.BAD_REQUEST : EngineErrorCode.UNKNOWN_SID, { sid }),
        );
        return;
      }
      const transport = socket.transport;
      if (req.method === "GET") transport.onGet(req, res);
      else if (req.method === "POST") await transport.onPost(req, res);
      else res.send(500, { ...(this.#baseHeaders.get(req) ?? {}) }, ""); // engine.io: bare 500, empty body
      return;
    }
    const transport = new PollingTransport(this.#pollingHost);
    const socket = await this.#handshake(req, query, transport, res);
    if (!socket) return;
    transport.onGet(req, res);
    socket.flush();
    this.emitReserved("connection", socket);
  }

  /**
   * Verifies a WebSocket upgrade request. On success, the runtime completes the upgrade
   * (adding `headers` to its 101 response) and hands the connection to `accept`.
   */
  async prepareUpgrade(req: EngineRequest, rawResponse?: unknown): Promise<UpgradeDecision> {
    const query = parseQuery(req.url);
    if (this.#middlewares.length > 0) {
      const failed = await this.#middlewareError(req, rawResponse);
      if (failed) return { ok: false, error: failed };
    }
    const error = await this.#verify(req, query, true);
    if (error) {
      this.#emitError(req, error);
      return { ok: false, error };
    }
    const sid = first(query["sid"]);
    const headers: Headers = {};
    if (sid !== undefined) {
      this.emitReserved("headers", headers, req.raw);
      return {
        ok: true,
        headers,
        accept: (conn) => {
          const socket = this.clients.get(sid);
          const ws = new WebSocketTransport(conn, this.runtime, this.opts.maxWriteBufferSize);
          if (!socket || socket.upgrading || socket.upgraded || socket.readyState !== "open") {
            ws.close(); // engine.io: a graceful close right after the handshake
            return;
          }
          socket.maybeUpgrade(ws);
        },
      };
    }
    // A new session that starts directly on WebSocket.
    const protocolError = this.#protocolError(query);
    if (protocolError) {
      this.#emitError(req, protocolError);
      return { ok: false, error: protocolError };
    }
    let id: string;
    try {
      id = await this.generateId(req.raw);
    } catch (cause) {
      const err = requestError(EngineErrorCode.BAD_REQUEST, { name: "ID_GENERATION_ERROR", error: cause });
      this.#emitError(req, err);
      return { ok: false, error: err };
    }
    // engine.io applies the `cookie` option to polling handshakes only (no Set-Cookie on the 101).
    this.emitReserved("initial_headers", headers, req.raw);
    this.emitReserved("headers", headers, req.raw);
    return {
      ok: true,
      headers,
      accept: (conn) => {
        const ws = new WebSocketTransport(conn, this.runtime, this.opts.maxWriteBufferSize);
        const socket = this.#createSession(id, req, query, ws);
        socket.flush();
        this.emitReserved("connection", socket);
      },
    };
  }

  /** Closes every session. */
  close(): void {
    for (const socket of [...this.clients.values()]) socket.close(true);
  }

  async #verify(req: EngineRequest, query: QueryMap, upgrade: boolean): Promise<EngineRequestError | undefined> {
    const transport = first(query["transport"]);
    if (transport === undefined || !this.opts.transports.includes(transport as "polling")) {
      return requestError(EngineErrorCode.UNKNOWN_TRANSPORT, { transport });
    }
    const origin = header(req, "origin");
    if (origin !== undefined && INVALID_HEADER_CHAR.test(origin)) {
      return requestError(EngineErrorCode.BAD_REQUEST, { name: "INVALID_ORIGIN", origin });
    }
    const sid = first(query["sid"]);
    if (sid !== undefined) {
      const socket = this.clients.get(sid);
      if (!socket) return requestError(EngineErrorCode.UNKNOWN_SID, { sid });
      if (upgrade) {
        // A WebSocket for a session that already upgraded (or is probing) is accepted and
        // then closed, as engine.io does (see `accept`).
        if (transport !== "websocket" || !this.opts.allowUpgrades) {
          return requestError(EngineErrorCode.BAD_REQUEST, {
            name: "TRANSPORT_MISMATCH",
            transport,
            previousTransport: socket.transport.name,
          });
        }
      } else if (transport !== socket.transport.name) {
        return requestError(EngineErrorCode.BAD_REQUEST, {
          name: "TRANSPORT_MISMATCH",
          transport,
          previousTransport: socket.transport.name,
        });
      }
      // engine.io checks the protocol revision on every request of a session, not only upgrades.
      const eio = first(query["EIO"]) === "4" ? 4 : 3;
      if (eio !== socket.protocol) return requestError(EngineErrorCode.BAD_REQUEST, { name: "PROTOCOL_MISMATCH" });
      return undefined;
    }
    if (req.method !== "GET") return requestError(EngineErrorCode.BAD_HANDSHAKE_METHOD, { method: req.method });
    if (transport === "websocket" && !upgrade) {
      return requestError(EngineErrorCode.BAD_REQUEST, {
        name: "TRANSPORT_HANDSHAKE_ERROR",
        error: new Error("invalid transport for a plain request"),
      });
    }
    if (transport === "polling" && upgrade) {
      return requestError(EngineErrorCode.BAD_REQUEST, {
        name: "TRANSPORT_HANDSHAKE_ERROR",
        error: new Error("polling does not handle upgrades"),
      });
    }
    const allow = this.opts.allowRequest;
    if (!allow) return undefined;
    return new Promise<EngineRequestError | undefined>((resolve) => {
      let done = false;
      try {
        allow(req.raw, (err, success) => {
          if (done) return;
          done = true;
          resolve(
            success
              ? undefined
              : requestError(
                  EngineErrorCode.FORBIDDEN,
                  { message: err },
                  typeof err === "string" && err ? err : "Forbidden",
                ),
          );
        });
      } catch (cause) {
        done = true;
        resolve(requestError(EngineErrorCode.FORBIDDEN, { message: String(cause) }));
      }
    });
  }

  #protocolError(query: QueryMap): EngineRequestError | undefined {
    const protocol = first(query["EIO"]) === "4" ? 4 : 3;
    if (protocol === 3 && !this.opts.allowEIO3) {
      return requestError(EngineErrorCode.UNSUPPORTED_PROTOCOL_VERSION, { protocol });
    }
    return undefined;
  }

  async #handshake(
    req: EngineRequest,
    query: QueryMap,
    transport: PollingTransport,
    res: EngineResponse,
  ): Promise<EngineSocket | undefined> {
    const protocolError = this.#protocolError(query);
    if (protocolError) {
      this.#respondError(req, res, protocolError);
      return undefined;
    }
    let id: string;
    try {
      id = await this.generateId(req.raw);
    } catch (cause) {
      this.#respondError(
        req,
        res,
        requestError(EngineErrorCode.BAD_REQUEST, { name: "ID_GENERATION_ERROR", error: cause }),
      );
      return undefined;
    }
    const base = { ...(this.#baseHeaders.get(req) ?? {}) };
    this.#initialHeaders(id, base, req);
    this.#baseHeaders.set(req, base);
    return this.#createSession(id, req, query, transport);
  }

  #initialHeaders(id: string, headers: Headers, req: EngineRequest): void {
    const cookie = this.opts.cookie;
    if (cookie) headers["Set-Cookie"] = [serializeCookie(id, cookie)];
    this.emitReserved("initial_headers", headers, req.raw);
  }

  #createSession(
    id: string,
    req: EngineRequest,
    query: QueryMap,
    transport: PollingTransport | WebSocketTransport,
  ): EngineSocket {
    const o = this.opts;
    const protocol = first(query["EIO"]) === "4" ? 4 : 3;
    transport.base64 = query["b64"] !== undefined;
    const details = { headers: req.headers, url: req.url, secure: req.secure };
    const socket = new EngineSocket(id, protocol, req.raw, req.remoteAddress, details, transport, this.#sessionHost);
    this.clients.set(id, socket);
    const upgrades =
      transport.name === "polling" && o.allowUpgrades && o.transports.includes("websocket") ? ["websocket"] : [];
    socket.open(
      JSON.stringify({
        sid: id,
        upgrades,
        pingInterval: o.pingInterval,
        pingTimeout: o.pingTimeout,
        maxPayload: o.maxHttpBufferSize,
      }),
      o.initialPacket,
    );
    return socket;
  }

  #responseHeaders(req: EngineRequest, extra: Headers | undefined): Headers {
    const headers: Headers = { ...(this.#baseHeaders.get(req) ?? {}), ...extra, "cache-control": "no-store" };
    const ua = header(req, "user-agent");
    if (ua && (ua.includes(";MSIE") || ua.includes("Trident/"))) headers["X-XSS-Protection"] = "0";
    this.emitReserved("headers", headers, req.raw);
    return headers;
  }

  #emitError(req: EngineRequest, error: EngineRequestError): void {
    this.emitReserved("connection_error", {
      req: req.raw,
      code: error.code,
      message: error.message,
      context: error.context,
    });
  }

  #respondError(req: EngineRequest, res: EngineResponse, error: EngineRequestError): void {
    this.#emitError(req, error);
    if (res.sent) return;
    const body = JSON.stringify({ code: error.code, message: error.message });
    res.send(error.status, { ...(this.#baseHeaders.get(req) ?? {}), "Content-Type": "application/json" }, body);
  }

  async #runMiddlewares(req: EngineRequest, res: EngineResponse): Promise<boolean> {
    if (this.#middlewares.length === 0) return true;
    const failed = await this.#middlewareError(req, res.raw);
    if (failed) {
      this.#respondError(req, res, failed);
      return false;
    }
    return true;
  }

  async #middlewareError(req: EngineRequest, rawResponse: unknown): Promise<EngineRequestError | undefined> {
    for (const fn of this.#middlewares) {
      const err = await new Promise<unknown>((resolve) => {
        try {
          const r = fn(req.raw, rawResponse, (e?: unknown) => resolve(e ?? null)) as unknown;
          if (r && typeof (r as Promise<unknown>).then === "function")
            (r as Promise<unknown>).catch((e: unknown) => resolve(e ?? new Error("middleware failed")));
        } catch (e) {
          resolve(e);
        }
      });
      if (err !== null) return requestError(EngineErrorCode.BAD_REQUEST, { name: "MIDDLEWARE_FAILURE", error: err });
    }
    return undefined;
  }
}
