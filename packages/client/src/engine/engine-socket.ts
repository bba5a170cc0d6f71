/**
 * The Engine.IO v4 client connection (spec revision 4): handshake, polling and WebSocket
 * transports, the polling → websocket upgrade, the heartbeat watchdog and close semantics.
 * The Socket.IO layer (Manager/Socket) sits on top and is not part of this file.
 */
import { Emitter, type EnginePacket } from "@omnio/protocol";
import { EngineError, type EngineCloseReason } from "../errors.js";
import { viewToArrayBuffer } from "../platform/binary.js";
import type { TimerHandle, Unsubscribe } from "../platform/contract.js";
import { LATE_TIMER_TOLERANCE_MS, WAKE_GRACE_MS } from "./heartbeat.js";
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions, type TransportName } from "./options.js";
import { PollingTransport } from "./polling-transport.js";
import type { OutgoingPacket, Transport, TransportSink } from "./transport.js";
import { parseServerOrigin } from "./url.js";
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
  readonly #origin: string;
  // The heartbeat watchdog (see heartbeat.ts): the ping deadline, its one timer, the grace flag.
  #deadline = Infinity;
  #timer: TimerHandle;
  #graceUsed = false;
  #readyState: EngineReadyState = "opening";
  #handshake: HandshakeData | undefined;
  // Only `#transport` and `#probe` may act (see `#sink`).
  #transport: Transport | undefined;
  #probe: Transport | undefined;
  #upgrading = false;
  #upgraded = false;
  #writeBuffer: OutgoingPacket[] = [];
  /** The transports still to try: those the platform can run, in order, minus the one opened (empty once open, or without `tryAllTransports`). */
  #remaining: TransportName[];
  /** Whether a polling connection may probe websocket (`upgrade`, and the platform can run it). */
  readonly #mayUpgrade: boolean;
  /** The lifecycle subscriptions (`false`/`undefined` where there is none). */
  readonly #unsubscribe: (Unsubscribe | false | undefined)[];

  constructor(uri: string, options: EngineOptions) {
    super();
    const o = (this.#opts = resolveEngineOptions(options));
    this.#origin = parseServerOrigin(uri);
    const list = (this.#remaining = o.transports.filter((name) =>
      name === "polling" ? o.platform.request : o.platform.createSocket,
    ));
    this.#mayUpgrade = o.upgrade && list.includes("websocket");
    const ws = list.indexOf("websocket");
    if (o.rememberUpgrade && o.upgradeMemory.websocketSucceeded && ws > 0) list.unshift(...list.splice(ws, 1));
    const lifecycle = o.platform.lifecycle;
    this.#unsubscribe = [
      o.closeOnOffline &&
        lifecycle?.onNetworkChange?.((online) => {
          // As engine.io-client does on the browser `offline` event: no wait for a ping timeout.
          if (!online) this.#onClose("transport close", { description: "network connection lost" });
        }),
      // engine.io-client drops its transport's listeners and closes it: no close event at all.
      o.closeOnBeforeunload && lifecycle?.onBeforeUnload?.(() => this.#onClose("forced close", undefined, true)),
      lifecycle?.onVisibilityChange?.((visible) => {
        // A wake-up: re-check the deadline now rather than when the timer fires.
        if (visible && this.#timer !== undefined) {
          o.platform.clearTimeout(this.#timer);
          this.#timer = undefined;
          this.#checkDeadline(true);
        }
      }),
    ];
    if (list.length > 0) this.#openNext();
    else {
      // Asynchronous, so listeners attached right after the constructor see it.
      o.platform.setTimeout(() => {
        if (this.#readyState !== "closed") this.#fail(new EngineError("NO_TRANSPORT", { description: o.transports }));
      }, 0);
    }
    if (!o.tryAllTransports) this.#remaining = [];
  }

  /** The session id, once the handshake is done. */
  get id(): string | undefined {
    return this.#readyState === "closed" ? undefined : this.#handshake?.sid;
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
    return this.#readyState === "open" && this.#opts.platform.now() > this.#deadline;
  }

  /**
   * Queues a `message` packet. Binary may be an `ArrayBuffer` or any view; it travels as a
   * binary frame on websocket and as `b<base64>` on polling.
   */
  send(data: string | ArrayBuffer | ArrayBufferView, options?: SendOptions): this {
    return this.#sendPacket({
      type: "message",
      data:
        typeof data === "string" ? data : new Uint8Array(data instanceof ArrayBuffer ? data : viewToArrayBuffer(data)),
      compress: options?.compress,
    });
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
    if (this.#readyState === "open") {
      this.#readyState = "closing";
      this.#abortProbe();
      // `#onDrain` finishes the close once the buffer is written.
      if (this.#writeBuffer.length > 0) this.#flush();
      else this.#onClose("forced close");
    } else if (this.#readyState === "opening") {
      this.#onClose("forced close");
    }
    return this;
  }

  /** Opens the next transport of `#remaining` (there is one). */
  #openNext(): void {
    (this.#transport = this.#create(this.#remaining.shift()!)).open();
  }

  #create(name: TransportName): Transport {
    return new (name === "polling" ? PollingTransport : WebSocketTransport)(
      this.#sink,
      this.#opts,
      this.#origin,
      name,
      this.#handshake,
    );
  }

  /** The transport guard: a report counts only from the current transport or the current probe. */
  readonly #sink: TransportSink = (...[transport, event, arg]) => {
    if (transport === this.#transport) {
      if (event === "packet") this.#onPacket(arg);
      else if (event === "drain") {
        if (this.#writeBuffer.length > 0) this.#flush();
        else if (this.#readyState === "closing") this.#onClose("forced close");
        else this.emitReserved("drain");
      } else if (event === "close") this.#onClose("transport close", arg);
      else if (this.#remaining.length > 0) {
        // tryAllTransports, before the handshake: the next transport.
        transport.close();
        this.#openNext();
      } else this.#fail(arg, arg.code === "PARSE_ERROR" ? "parse error" : undefined);
    } else if (transport === this.#probe) {
      if (event === "packet") this.#onProbePacket(transport, arg);
      else if (event === "error") this.#onProbeFailed(arg);
      else if (event === "close") this.#onProbeFailed(new EngineError("PROBE_ERROR", { description: arg }));
    }
  };

  #onPacket(packet: EnginePacket): void {
    this.emitReserved("packet", packet);
    const { type, data } = packet;
    // pong, upgrade, noop: nothing to do on the active transport.
    if (type === "open") this.#onHandshake(data);
    else if (type === "ping") {
      this.#alive();
      this.#sendPacket({ type: "pong" });
      this.emitReserved("ping");
    } else if (type === "message") {
      this.emitReserved("message", typeof data === "string" ? data : data ? viewToArrayBuffer(data) : "");
    } else if (type === "close") {
      // Only polling carries a server `1` (spec "Close").
      this.#onClose("transport close", "transport closed by the server");
    }
  }

  #onHandshake(raw: string | Uint8Array | undefined): void {
    if (this.#readyState !== "opening") return;
    const data = parseHandshake(raw);
    if (data === undefined) return this.#fail(new EngineError("HANDSHAKE_ERROR", { description: raw }), "parse error");
    const o = this.#opts;
    this.#handshake = this.#transport!.session = data;
    this.#readyState = "open";
    this.#remaining = [];
    o.upgradeMemory.websocketSucceeded ||= this.#transport!.name === "websocket";
    this.#alive();
    this.emitReserved("handshake", data);
    if (this.#readyState !== "open") return;
    this.emitReserved("open");
    if (this.#readyState !== "open") return;
    this.#flush();
    if (this.#mayUpgrade && this.#transport?.name === "polling" && data.upgrades.includes("websocket")) {
      (this.#probe = this.#create("websocket")).open();
    }
  }

  #sendPacket(packet: OutgoingPacket): this {
    if (this.#readyState === "open" || this.#readyState === "opening") {
      this.#writeBuffer.push(packet);
      this.#flush();
    }
    return this;
  }

  #flush(): void {
    const transport = this.#transport;
    // Nothing leaves before the handshake; `#transport` is unset once closed.
    if (this.#handshake && transport?.writable && !this.#upgrading && this.#writeBuffer.length > 0) {
      transport.send(this.#writeBuffer);
    }
  }

  /** Emits `error`, then closes with `reason`. */
  #fail(error: EngineError, reason: EngineCloseReason = "transport error"): void {
    this.emitReserved("error", error);
    this.#onClose(reason, error);
  }

  #onClose(reason: EngineCloseReason, details?: unknown, silent?: boolean): void {
    if (this.#readyState === "closed") return;
    this.#readyState = "closed";
    if (this.#timer !== undefined) this.#opts.platform.clearTimeout(this.#timer);
    this.#abortProbe();
    const transport = this.#transport;
    this.#transport = undefined;
    transport?.close(reason === "forced close");
    for (const unsubscribe of this.#unsubscribe) if (unsubscribe) unsubscribe();
    this.#writeBuffer = [];
    if (!silent) this.emitReserved("close", reason, details);
  }

  // --- Heartbeat (spec "Heartbeat"; the design is described in heartbeat.ts). ---

  /** A ping (or the handshake) arrived: the link is alive for `pingInterval + pingTimeout` more. */
  #alive(): void {
    const h = this.#handshake;
    if (h === undefined) return;
    const window = h.pingInterval + h.pingTimeout;
    this.#deadline = this.#opts.platform.now() + window;
    this.#graceUsed = false;
    if (this.#timer === undefined) this.#watch(window);
  }

  /** Arms the one heartbeat timer; it reports whether it fired late (the host was asleep). */
  #watch(ms: number): void {
    const platform = this.#opts.platform;
    const due = platform.now() + ms;
    this.#timer = platform.setTimeout(() => {
      this.#timer = undefined;
      this.#checkDeadline(platform.now() - due > LATE_TIMER_TOLERANCE_MS);
    }, ms);
  }

  /** Re-arms for the remaining time, or gives queued I/O one grace period after a wake-up, or times out. */
  #checkDeadline(late: boolean): void {
    const now = this.#opts.platform.now();
    if (now < this.#deadline) return this.#watch(this.#deadline - now);
    if (late && !this.#graceUsed) {
      this.#graceUsed = true;
      return this.#watch(WAKE_GRACE_MS);
    }
    this.#onClose("ping timeout");
  }

  // --- Upgrade (spec "Upgrade"): 2probe → 3probe → pause polling → 5 → switch. ---

  #onProbePacket(probe: Transport, packet: EnginePacket): void {
    if (packet.type !== "pong" || packet.data !== "probe") {
      return this.#onProbeFailed(new EngineError("PROBE_ERROR", { transport: "websocket", description: packet }));
    }
    if (this.#upgrading) return;
    this.#upgrading = true;
    this.emitReserved("upgrading", "websocket");
    // Only polling is ever upgraded; a listener may have closed the engine meanwhile. Polling
    // calls back at most once, and never after `#abortProbe` resumed or closed it.
    if (this.#probe !== probe) return;
    const old = this.#transport as PollingTransport;
    old.pause(() => {
      probe.send([{ type: "upgrade" }]);
      this.#probe = undefined;
      this.#transport = probe;
      this.#upgrading = false;
      this.#upgraded = true;
      old.close();
      this.#opts.upgradeMemory.websocketSucceeded = true;
      this.emitReserved("upgrade", "websocket");
      this.#flush();
    });
  }

  #onProbeFailed(error: EngineError): void {
    this.#abortProbe();
    this.emitReserved("upgradeError", error);
    this.#flush();
  }

  /** Drops the probe; polling resumes if it was paused for it. */
  #abortProbe(): void {
    this.#probe?.close();
    this.#probe = undefined;
    if (this.#upgrading) {
      this.#upgrading = false;
      (this.#transport as PollingTransport | undefined)?.resume();
    }
  }
}

/** Validates the handshake JSON (`0{…}`); `undefined` when it is not one. */
function parseHandshake(raw: string | Uint8Array | undefined): HandshakeData | undefined {
  try {
    // An `open` packet never carries binary; JSON.parse of anything but a JSON object fails
    // below (a primitive has no string `sid`, `null` throws).
    const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = JSON.parse(raw as string) as Record<
      string,
      unknown
    >;
    if (typeof sid === "string" && typeof pingInterval === "number" && typeof pingTimeout === "number") {
      return {
        sid,
        upgrades: Array.isArray(upgrades) ? upgrades.filter((u): u is string => typeof u === "string") : [],
        pingInterval,
        pingTimeout,
        maxPayload: typeof maxPayload === "number" ? maxPayload : 1_000_000,
      };
    }
  } catch {
    // Not JSON, or `null`.
  }
  return undefined;
}
