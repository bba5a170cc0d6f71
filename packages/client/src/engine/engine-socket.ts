/**
 * The Engine.IO v4 client connection (spec revision 4): handshake, polling and WebSocket
 * transports, the polling → websocket upgrade, the heartbeat watchdog and close semantics.
 * The Socket.IO layer (Manager/Socket) sits on top and is not part of this file.
 */
import { Emitter, type EnginePacket } from "@omnio/protocol";
import { EngineError, type EngineCloseReason } from "../errors.js";
import { viewToArrayBuffer } from "../platform/binary.js";
import type { Platform, Unsubscribe } from "../platform/contract.js";
import { HeartbeatWatchdog } from "./heartbeat.js";
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions, type TransportName } from "./options.js";
import { PollingTransport } from "./polling-transport.js";
import type { OutgoingPacket, Transport, TransportSink } from "./transport.js";
import { parseServerAddress, type ServerAddress } from "./url.js";
import { WebSocketTransport } from "./websocket-transport.js";

/** The server's handshake (`0{…}`), spec "Handshake". */
export interface HandshakeData {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** Events of {@link EngineSocket}. */
export interface EngineSocketEvents {
  /** The handshake completed; `send` now reaches the server. */
  open: () => void;
  handshake: (data: HandshakeData) => void;
  /** Every packet received, before it is interpreted. */
  packet: (packet: EnginePacket) => void;
  /** A `message` packet: text as a string, binary as an exact `ArrayBuffer`. */
  message: (data: string | ArrayBuffer) => void;
  /** A server ping arrived (the pong is already queued). */
  ping: () => void;
  /** The write buffer was handed to the transport and written. */
  drain: () => void;
  /** The websocket probe answered `3probe`; polling is being paused. */
  upgrading: (transport: TransportName) => void;
  /** The connection now runs on `transport`. */
  upgrade: (transport: TransportName) => void;
  /** The upgrade failed; the connection continues on polling. */
  upgradeError: (error: EngineError) => void;
  error: (error: EngineError) => void;
  /** The connection is over; `details` is the error or description that caused it. */
  close: (reason: EngineCloseReason, details?: unknown) => void;
}

/** Options of one `send` (engine.io-client's `send(data, options)`). */
export interface SendOptions {
  /**
   * `false` asks the host not to deflate this WebSocket frame (see `PlatformSocket.send`).
   * @default undefined (the host's default)
   */
  compress?: boolean;
}

/** Connection state of {@link EngineSocket}. */
export type EngineReadyState = "opening" | "open" | "closing" | "closed";

/** Handshake-phase request timeout when `requestTimeout` is 0 (ms). */
const HANDSHAKE_REQUEST_TIMEOUT_MS = 20_000;
/** Margin added to `pingInterval + pingTimeout` for a held GET (miniprogram-platforms §2.7 rule 4). */
const POLL_TIMEOUT_MARGIN_MS = 5_000;

interface Probe {
  id: number;
  transport: Transport;
}

/**
 * One Engine.IO connection. Opens in the constructor, as engine.io-client's `Socket` does.
 *
 * @example
 * const engine = new EngineSocket("http://localhost:3000", { platform: createNodePlatform(), path: "/socket.io" });
 * engine.on("open", () => engine.send("40"));
 * engine.on("message", (data) => console.log(data));
 */
export class EngineSocket extends Emitter<EngineSocketEvents> {
  readonly #opts: ResolvedEngineOptions;
  readonly #platform: Platform;
  readonly #address: ServerAddress;
  readonly #heartbeat: HeartbeatWatchdog;
  #readyState: EngineReadyState = "opening";
  #id: string | undefined;
  #handshake: HandshakeData | undefined;
  #transport: Transport | undefined;
  #probe: Probe | undefined;
  // Monotonic ids; only the transport whose id is `#activeId` (or the current probe) may act.
  #nextTransportId = 0;
  #activeId = 0;
  #upgrading = false;
  #upgraded = false;
  #closeWhenDrained = false;
  #writeBuffer: OutgoingPacket[] = [];
  #remaining: TransportName[];
  #unsubscribe: Unsubscribe[] = [];

  constructor(uri: string, options: EngineOptions) {
    super();
    this.#opts = resolveEngineOptions(options);
    this.#platform = this.#opts.platform;
    this.#address = parseServerAddress(uri);
    this.#heartbeat = new HeartbeatWatchdog(this.#platform, () => this.#onClose("ping timeout"));
    this.#remaining = this.#initialTransports();
    this.#subscribeLifecycle();
    this.#openNext();
  }

  /** The session id, once the handshake is done. */
  get id(): string | undefined {
    return this.#id;
  }
  get readyState(): EngineReadyState {
    return this.#readyState;
  }
  /** The name of the transport in use. */
  get transport(): TransportName | undefined {
    return this.#transport?.name;
  }
  /** True when a packet sent now would be written at once (open, transport idle, no upgrade pause). */
  get writable(): boolean {
    return this.#readyState === "open" && this.#transport?.writable === true && !this.#upgrading;
  }
  /** True once the connection was upgraded from polling to websocket. */
  get upgraded(): boolean {
    return this.#upgraded;
  }
  /** The handshake data, once received. */
  get handshake(): HandshakeData | undefined {
    return this.#handshake;
  }
  /** True when no ping arrived within `pingInterval + pingTimeout` (the link is presumed dead). */
  hasPingExpired(): boolean {
    return this.#readyState === "open" && this.#heartbeat.expired;
  }

  /**
   * Queues a `message` packet. Binary may be an `ArrayBuffer` or any view; it travels as a
   * binary frame on websocket and as `b<base64>` on polling.
   */
  send(data: string | ArrayBuffer | ArrayBufferView, options?: SendOptions): this {
    const packet: OutgoingPacket = {
      type: "message",
      data:
        typeof data === "string" ? data : new Uint8Array(data instanceof ArrayBuffer ? data : viewToArrayBuffer(data)),
    };
    if (options?.compress !== undefined) packet.compress = options.compress;
    return this.#sendPacket(packet);
  }
  /** Alias of `send`. */
  write(data: string | ArrayBuffer | ArrayBufferView, options?: SendOptions): this {
    return this.send(data, options);
  }

  /**
   * Closes the connection (reason `"forced close"`): pending packets are written first, a
   * running upgrade is abandoned, polling tells the server with a `1` packet.
   */
  close(): this {
    if (this.#readyState === "closed" || this.#readyState === "closing") return this;
    if (this.#readyState === "opening") {
      this.#onClose("forced close");
      return this;
    }
    this.#readyState = "closing";
    this.#abortProbe();
    if (this.#writeBuffer.length > 0 && this.#transport !== undefined) {
      this.#closeWhenDrained = true;
      this.#flush();
    } else {
      this.#onClose("forced close");
    }
    return this;
  }

  #initialTransports(): TransportName[] {
    const list = this.#opts.transports.slice();
    const ws = list.indexOf("websocket");
    if (this.#opts.rememberUpgrade && this.#opts.upgradeMemory.websocketSucceeded && ws > 0) {
      list.splice(ws, 1);
      list.unshift("websocket");
    }
    return list;
  }

  #available(name: TransportName): boolean {
    return name === "polling" ? this.#platform.request !== undefined : this.#platform.createSocket !== undefined;
  }

  #openNext(): void {
    let name = this.#remaining.shift();
    while (name !== undefined && !this.#available(name)) name = this.#remaining.shift();
    if (name === undefined) {
      // Asynchronous, so listeners attached right after the constructor see it.
      this.#platform.setTimeout(() => {
        if (this.#readyState === "closed") return;
        const error = new EngineError("NO_TRANSPORT", { description: this.#opts.transports });
        this.emitReserved("error", error);
        this.#onClose("transport error", error);
      }, 0);
      return;
    }
    const transport = this.#createTransport(name, undefined);
    this.#activeId = transport.id;
    this.#transport = transport.transport;
    transport.transport.open();
  }

  #createTransport(name: TransportName, sid: string | undefined): Probe {
    const id = ++this.#nextTransportId;
    const o = this.#opts;
    const overrides = o.transportOptions[name] ?? {};
    const query: Record<string, string> = { ...(overrides.query ?? o.query), EIO: "4", transport: name };
    if (sid !== undefined) query.sid = sid;
    const config = {
      platform: this.#platform,
      address: this.#address,
      path: overrides.path ?? o.path,
      addTrailingSlash: o.addTrailingSlash,
      query,
      headers: overrides.extraHeaders ?? o.extraHeaders,
      withCredentials: o.withCredentials,
      timestamp: name === "polling" ? o.timestampRequests !== false : o.timestampRequests === true,
      timestampParam: o.timestampParam,
      protocols: o.protocols,
      requestTimeout: () => this.#requestTimeout(),
      maxPayload: () => this.#handshake?.maxPayload ?? Infinity,
    };
    const sink = this.#sinkFor(id);
    const transport = name === "polling" ? new PollingTransport(config, sink) : new WebSocketTransport(config, sink);
    return { id, transport };
  }

  /** The transport-id guard: every callback of transport `id` is dropped unless it is current. */
  #sinkFor(id: number): TransportSink {
    return {
      onOpen: () => {
        if (id === this.#probe?.id) this.#onProbeOpen();
      },
      onPacket: (packet) => {
        if (id === this.#activeId) this.#onPacket(packet);
        else if (id === this.#probe?.id) this.#onProbePacket(packet);
      },
      onDrain: () => {
        if (id === this.#activeId) this.#onDrain();
      },
      onError: (error) => {
        if (id === this.#activeId) this.#onError(error);
        else if (id === this.#probe?.id) this.#onProbeFailed(error);
      },
      onClose: (description) => {
        if (id === this.#activeId) this.#onClose("transport close", description);
        else if (id === this.#probe?.id) this.#onProbeFailed(new EngineError("PROBE_ERROR", { description }));
      },
    };
  }

  #requestTimeout(): number {
    if (this.#opts.requestTimeout > 0) return this.#opts.requestTimeout;
    const h = this.#handshake;
    return h === undefined ? HANDSHAKE_REQUEST_TIMEOUT_MS : h.pingInterval + h.pingTimeout + POLL_TIMEOUT_MARGIN_MS;
  }

  #onPacket(packet: EnginePacket): void {
    if (this.#readyState === "closed") return;
    this.emitReserved("packet", packet);
    switch (packet.type) {
      case "open":
        return this.#onHandshake(packet.data);
      case "ping":
        if (this.#handshake !== undefined)
          this.#heartbeat.reset(this.#handshake.pingInterval + this.#handshake.pingTimeout);
        this.#sendPacket({ type: "pong" });
        this.emitReserved("ping");
        return;
      case "message": {
        const data = packet.data ?? "";
        this.emitReserved("message", typeof data === "string" ? data : viewToArrayBuffer(data));
        return;
      }
      case "close":
        // Only polling carries a server `1` (spec "Close").
        return this.#onClose("transport close", "transport closed by the server");
      default:
        return; // pong, upgrade, noop: nothing to do on the active transport.
    }
  }

  #onHandshake(raw: string | Uint8Array | undefined): void {
    if (this.#readyState !== "opening") return;
    const data = parseHandshake(raw);
    if (data === undefined) {
      const error = new EngineError("HANDSHAKE_ERROR", { description: raw });
      this.emitReserved("error", error);
      return this.#onClose("parse error", error);
    }
    this.#handshake = data;
    this.#id = data.sid;
    this.#readyState = "open";
    this.#remaining = [];
    this.#transport?.setSid(data.sid);
    if (this.#transport?.name === "websocket") this.#opts.upgradeMemory.websocketSucceeded = true;
    this.#heartbeat.reset(data.pingInterval + data.pingTimeout);
    this.emitReserved("handshake", data);
    if (this.#readyState !== "open") return;
    this.emitReserved("open");
    if (this.#readyState !== "open") return;
    this.#flush();
    if (
      this.#opts.upgrade &&
      this.#transport?.name === "polling" &&
      data.upgrades.includes("websocket") &&
      this.#opts.transports.includes("websocket") &&
      this.#available("websocket")
    ) {
      this.#startProbe(data.sid);
    }
  }

  #sendPacket(packet: OutgoingPacket): this {
    if (this.#readyState === "closing" || this.#readyState === "closed") return this;
    this.#writeBuffer.push(packet);
    this.#flush();
    return this;
  }

  #flush(): void {
    const transport = this.#transport;
    if (this.#readyState === "closed" || this.#readyState === "opening") return;
    if (transport === undefined || !transport.writable || this.#upgrading || this.#writeBuffer.length === 0) return;
    const packets =
      transport.name === "polling"
        ? PollingTransport.takeWithinPayload(this.#writeBuffer, this.#handshake?.maxPayload ?? Infinity)
        : this.#writeBuffer.splice(0, this.#writeBuffer.length);
    transport.send(packets);
  }

  #onDrain(): void {
    if (this.#writeBuffer.length > 0) return this.#flush();
    if (this.#closeWhenDrained) return this.#onClose("forced close");
    this.emitReserved("drain");
  }

  #onError(error: EngineError): void {
    if (this.#readyState === "opening" && this.#opts.tryAllTransports && this.#remaining.length > 0) {
      this.#transport?.close(false);
      this.#transport = undefined;
      this.#activeId = 0;
      return this.#openNext();
    }
    this.emitReserved("error", error);
    this.#onClose(error.code === "PARSE_ERROR" ? "parse error" : "transport error", error);
  }

  #onClose(reason: EngineCloseReason, details?: unknown, silent = false): void {
    if (this.#readyState === "closed") return;
    const graceful = reason === "forced close";
    this.#readyState = "closed";
    this.#heartbeat.stop();
    this.#abortProbe();
    const transport = this.#transport;
    this.#transport = undefined;
    this.#activeId = 0;
    transport?.close(graceful);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#writeBuffer = [];
    this.#id = undefined;
    if (!silent) this.emitReserved("close", reason, details);
  }

  // --- Upgrade (spec "Upgrade"): 2probe → 3probe → pause polling → 5 → switch. ---

  #startProbe(sid: string): void {
    const probe = this.#createTransport("websocket", sid);
    this.#probe = probe;
    probe.transport.open();
  }

  #onProbeOpen(): void {
    this.#probe?.transport.send([{ type: "ping", data: "probe" }]);
  }

  #onProbePacket(packet: EnginePacket): void {
    const probe = this.#probe;
    if (probe === undefined) return;
    if (packet.type !== "pong" || packet.data !== "probe") {
      return this.#onProbeFailed(new EngineError("PROBE_ERROR", { transport: "websocket", description: packet }));
    }
    if (this.#upgrading || this.#readyState !== "open") return;
    this.#upgrading = true;
    this.emitReserved("upgrading", "websocket");
    if (this.#probe !== probe || this.#readyState !== "open") return;
    this.#transport?.pause(() => this.#onPaused(probe));
  }

  #onPaused(probe: Probe): void {
    if (this.#probe !== probe || this.#readyState !== "open") return;
    probe.transport.send([{ type: "upgrade" }]);
    const old = this.#transport;
    this.#probe = undefined;
    this.#activeId = probe.id;
    this.#transport = probe.transport;
    this.#upgrading = false;
    this.#upgraded = true;
    old?.close(false);
    this.#opts.upgradeMemory.websocketSucceeded = true;
    this.emitReserved("upgrade", "websocket");
    this.#flush();
  }

  #onProbeFailed(error: EngineError): void {
    if (this.#probe === undefined) return;
    this.#abortProbe();
    if (this.#readyState !== "open") return;
    this.emitReserved("upgradeError", error);
    this.#flush();
  }

  #abortProbe(): void {
    const probe = this.#probe;
    if (probe === undefined) return;
    this.#probe = undefined;
    probe.transport.close(false);
    if (this.#upgrading) {
      this.#upgrading = false;
      this.#transport?.resume();
    }
  }

  #subscribeLifecycle(): void {
    const lifecycle = this.#platform.lifecycle;
    if (lifecycle === undefined) return;
    if (this.#opts.closeOnOffline && lifecycle.onNetworkChange !== undefined) {
      this.#unsubscribe.push(
        lifecycle.onNetworkChange((online) => {
          // As engine.io-client does on the browser `offline` event: no wait for a ping timeout.
          if (!online) this.#onClose("transport close", { description: "network connection lost" });
        }),
      );
    }
    if (this.#opts.closeOnBeforeunload && lifecycle.onBeforeUnload !== undefined) {
      // engine.io-client drops its transport's listeners and closes it: no close event at all.
      this.#unsubscribe.push(lifecycle.onBeforeUnload(() => this.#onClose("forced close", undefined, true)));
    }
    if (lifecycle.onVisibilityChange !== undefined) {
      this.#unsubscribe.push(
        lifecycle.onVisibilityChange((visible) => {
          if (visible) this.#heartbeat.check();
        }),
      );
    }
  }
}

function parseHandshake(raw: string | Uint8Array | undefined): HandshakeData | undefined {
  if (typeof raw !== "string") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.sid !== "string" || typeof v.pingInterval !== "number" || typeof v.pingTimeout !== "number") {
    return undefined;
  }
  const upgrades = Array.isArray(v.upgrades) ? v.upgrades.filter((u): u is string => typeof u === "string") : [];
  const maxPayload = typeof v.maxPayload === "number" ? v.maxPayload : 1_000_000;
  return { sid: v.sid, upgrades, pingInterval: v.pingInterval, pingTimeout: v.pingTimeout, maxPayload };
}
