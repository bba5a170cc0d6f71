/**
 * What the two transports share: the request URL and headers of one transport and
 * the engine's sink. Every report carries the transport itself; the engine acts only for its
 * current transport or its current probe, so a stale transport (closed, replaced by an upgrade,
 * or a failed probe) can never act on the engine (centrifuge-js `_transportId`, here the
 * transport object's identity).
 */
import type { EnginePacket } from "@omnio/protocol";
import { EngineError, type EngineErrorCode } from "../errors.js";
import type { HandshakeData } from "./engine-socket.js";
import type { ResolvedEngineOptions, TransportName } from "./options.js";
import { encodeQuery } from "./url.js";

/** A packet waiting to be written, with its per-frame compression wish (WebSocket only). */
export type OutgoingPacket = EnginePacket & { compress?: boolean };

/** One report of a transport to its engine; `close` comes from the WebSocket only. */
export type TransportReport =
  | [transport: Transport, event: "drain", none?: undefined]
  | [transport: Transport, event: "packet", packet: EnginePacket]
  | [transport: Transport, event: "error", error: EngineError]
  | [transport: Transport, event: "close", description: string];

/** Where every transport of one engine reports; a report of a stale transport is dropped. */
export type TransportSink = (...report: TransportReport) => void;

/**
 * A transport: polling or websocket. The engine creates one, calls `open()` at once, calls
 * `send` only while `writable`, and forgets it at its first `error` or `close` report or
 * when it closes it; every later report is dropped.
 */
export abstract class Transport {
  // `declare`d and set in the constructor: no field definitions in the output.
  /** The engine's sink. */
  declare readonly report: TransportSink;
  /** The engine's resolved options. */
  declare readonly opts: ResolvedEngineOptions;
  declare readonly name: TransportName;
  /** The handshake, once known: its `sid` joins every URL, its timings the request timeout. */
  declare session: HandshakeData | undefined;
  /** `http(s)://host/path/` or `ws(s)://host/path/`. */
  declare readonly endpoint: string;
  /** The query without `sid` and timestamp: the user's (or this transport's) query, `EIO`, `transport`. */
  declare readonly params: Record<string, string>;
  declare readonly requestHeaders: Readonly<Record<string, string>>;

  /**
   * `transportOptions[name]` overrides `query`, `extraHeaders` and `path` of `opts`; `origin` is
   * `s://host[:port]` or `://host[:port]` (see `parseServerOrigin`).
   */
  constructor(
    report: TransportSink,
    opts: ResolvedEngineOptions,
    origin: string,
    name: TransportName,
    session: HandshakeData | undefined,
  ) {
    const own = opts.transportOptions[name] ?? {};
    let path = own.path ?? opts.path;
    if (!path.startsWith("/")) path = "/" + path;
    if (opts.addTrailingSlash && !path.endsWith("/")) path += "/";
    Object.assign(this, {
      report,
      opts,
      name,
      session,
      endpoint: (name === "polling" ? "http" : "ws") + origin + path,
      params: { ...(own.query ?? opts.query), EIO: "4", transport: name, ...(opts.forceBase64 && { b64: "1" }) },
      requestHeaders: own.extraHeaders ?? opts.extraHeaders,
    });
  }

  /** True when `send` may be called. */
  abstract readonly writable: boolean;
  abstract open(): void;
  /** Takes packets from the front of `buffer` (all, or polling's `maxPayload` share) and writes them; `drain` follows. */
  abstract send(buffer: OutgoingPacket[]): void;
  /**
   * Ends the transport. `graceful` tells the server (polling POSTs `1`); otherwise it is just
   * dropped (after an upgrade the server has already switched).
   */
  abstract close(graceful?: boolean): void;

  /**
   * The URL of one request. `seq` (polling's request counter) stamps every request unless
   * `timestampRequests` is `false`; without it (WebSocket) only when it is `true`.
   */
  buildUrl(seq?: number): string {
    const o = this.opts;
    const query = { ...this.params };
    if (this.session) query.sid = this.session.sid;
    if (seq === undefined ? o.timestampRequests : o.timestampRequests !== false) {
      query[o.timestampParam] = o.platform.now().toString(36) + (seq === undefined ? "" : "." + seq.toString(36));
    }
    return this.endpoint + "?" + encodeQuery(query);
  }

  /** Reports an {@link EngineError} of this transport. */
  fail(code: EngineErrorCode, description: unknown, cause?: unknown): void {
    this.report(this, "error", new EngineError(code, { transport: this.name, description, cause }));
  }
}
