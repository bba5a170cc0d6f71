/**
 * An Engine.IO session (protocol v4 "Lifecycle"): owns the transport, the write buffer,
 * the heartbeat and the polling→WebSocket upgrade. `socket.conn` in the Socket.IO layer.
 */
import { Emitter, type EnginePacket, type EnginePacketType } from "@omnio/protocol";
import type { HeaderMap } from "./contracts.js";
import type { EngineCloseReason } from "./errors.js";
import type { DeadlineItem, DeadlineQueue } from "./deadline-queue.js";
import type { PollingTransport } from "./transport-polling.js";
import type { OutgoingPacket, Transport, TransportOwner } from "./transport.js";
import { UpgradeProbe, type ProbeSession } from "./upgrade-probe.js";
import type { WebSocketTransport } from "./transport-websocket.js";

export type ReadyState = "opening" | "open" | "closing" | "closed";

/** Runtime-neutral details of the session's first request (for `socket.handshake`). */
export interface RequestDetails {
  headers: HeaderMap;
  url: string;
  secure: boolean;
}

/** The Socket.IO layer's direct hook (no emitter listeners per connection on the hot path). */
export interface EngineConsumer {
  onEngineData(data: string | Uint8Array): void;
  onEngineClose(reason: EngineCloseReason, description?: unknown): void;
}

/** Options of one `send`. */
export interface SendOptions {
  /** Allow compression. @default true */
  compress?: boolean;
  /** A frame prepared once for many recipients (broadcast fast path). */
  prepared?: unknown;
}

export interface EngineSocketEvents {
  open: () => void;
  message: (data: string | Uint8Array) => void;
  data: (data: string | Uint8Array) => void;
  packet: (packet: EnginePacket) => void;
  packetCreate: (packet: EnginePacket) => void;
  heartbeat: () => void;
  flush: (buffer: EnginePacket[]) => void;
  drain: () => void;
  upgrading: (transport: Transport) => void;
  upgrade: (transport: Transport) => void;
  error: (err: Error) => void;
  close: (reason: EngineCloseReason, description?: unknown) => void;
}

/** Shared by all sessions of one server: the heartbeat queues and settings. */
export interface SessionHost {
  readonly pingQueue: DeadlineQueue;
  readonly pongQueue: DeadlineQueue;
  /** v3: a session dies after `pingInterval + pingTimeout` without a client ping. */
  readonly v3Queue: DeadlineQueue;
  readonly upgradeTimeout: number;
  readonly maxWriteBufferSize: number;
  readonly pingInterval: number;
  readonly pingTimeout: number;
  byteLength(data: string | Uint8Array): number;
  onSessionClosed(socket: EngineSocket): void;
}

/** How long a closing session waits for its polling client to come and read the `close`. */
const CLOSE_WAIT_MS = 30000;
const HEARTBEAT_WAIT_PING = 0;
const HEARTBEAT_WAIT_PONG = 1;

/**
 * The session is its own heartbeat deadline item and its transport's owner, so an idle
 * connection costs no timer and no closure.
 */
export class EngineSocket extends Emitter<EngineSocketEvents> implements DeadlineItem, TransportOwner, ProbeSession {
  readyState: ReadyState = "opening";
  transport: Transport;
  upgrading = false;
  upgraded = false;
  /** The Socket.IO client of this session, called directly for data and close. */
  consumer: EngineConsumer | undefined = undefined;
  dlPrev: DeadlineItem | undefined = undefined;
  dlNext: DeadlineItem | undefined = undefined;
  dlDeadline = 0;
  dlQueue: DeadlineQueue | undefined = undefined;
  #writeBuffer: OutgoingPacket[] = [];
  #bufferedBytes = 0;
  #heartbeatPhase = HEARTBEAT_WAIT_PING;
  #pongRefreshed = false;
  #probe: UpgradeProbe | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushScheduled = false;

  constructor(
    /** The session id (crypto-random, see `generateId`). */
    readonly id: string,
    /** Engine.IO protocol revision: 4, or 3 for Socket.IO 2.x clients. */
    readonly protocol: 3 | 4,
    /** The runtime's first request of the session (Node: `IncomingMessage`). */
    readonly request: unknown,
    readonly remoteAddress: string,
    /** Headers and URL of the first request. */
    readonly details: RequestDetails,
    transport: Transport,
    private readonly host: SessionHost,
  ) {
    super();
    this.transport = transport;
    this.#attach(transport);
  }

  /** Sends the open packet and starts the heartbeat (called once by the server). */
  open(handshake: string, initialPacket: string | Uint8Array | undefined): void {
    this.readyState = "open";
    this.#sendPacket("open", handshake, {});
    if (initialPacket !== undefined) this.#sendPacket("message", initialPacket, {});
    this.emitReserved("open");
    if (this.protocol === 4) this.host.pingQueue.add(this);
    else this.host.v3Queue.add(this);
  }

  /** Sends a `message` packet. `callback` runs once it was written to the network. */
  send(data: string | Uint8Array, options?: SendOptions, callback?: () => void): this {
    this.#sendPacket("message", data, options ?? {}, callback);
    return this;
  }
  /** Alias of `send`. */
  write(data: string | Uint8Array, options?: SendOptions, callback?: () => void): this {
    return this.send(data, options, callback);
  }

  /** Packets waiting for the transport. */
  get writeBuffer(): readonly EnginePacket[] {
    return this.#writeBuffer;
  }

  /**
   * Closes the session. Buffered packets are written first unless `discard`; the `close`
   * event follows with reason `forced close`.
   */
  close(discard = false): void {
    if (this.readyState !== "open" && this.readyState !== "opening") return;
    this.readyState = "closing";
    // An upgrade under way is let through (the client is switching to it): the new
    // transport is then closed, as engine.io does (see onProbeUpgrade).
    // A polling client that never polls again cannot be told; don't wait for it forever.
    this.#setTimer(() => this.#onClose("forced close"), CLOSE_WAIT_MS);
    if (this.#writeBuffer.length > 0 && !discard) {
      this.once("drain", () => this.transport.close());
      return;
    }
    this.transport.close();
  }

  #setTimer(fn: () => void, ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(fn, ms);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #sendPacket(
    type: EnginePacketType,
    data: string | Uint8Array | undefined,
    options: SendOptions,
    callback?: () => void,
  ): void {
    if (this.readyState === "closed") return;
    const packet: OutgoingPacket = data === undefined ? { type } : { type, data };
    if (options.compress === false) packet.compress = false;
    if (options.prepared !== undefined) packet.prepared = options.prepared;
    if (callback) packet.callback = callback;
    this.emitReserved("packetCreate", packet);
    if (this.#writeBuffer.length === 0 && this.transport.name === "websocket" && this.transport.writable) {
      // Hot path (every WebSocket emit and broadcast delivery): nothing is queued, so write
      // now without buffering or byte counting (the transport bounds what the peer owes us).
      const buffer = [packet];
      this.emitReserved("flush", buffer);
      this.transport.send(buffer);
      this.emitReserved("drain");
      return;
    }
    this.#writeBuffer.push(packet);
    if (data !== undefined) {
      this.#bufferedBytes += this.host.byteLength(data);
      if (this.#bufferedBytes > this.host.maxWriteBufferSize) {
        // A polling client that stopped polling (slow consumer): bounded, then dropped.
        this.#onError("write buffer full");
        return;
      }
    }
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    // WebSocket writes at once (lowest latency); polling waits for the rest of this tick so
    // that packets emitted together leave in one response.
    if (this.transport.name === "websocket") this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => {
        this.#flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Writes the buffer if the transport can take it. */
  flush(): void {
    if (this.readyState === "closed" || !this.transport.writable || this.#writeBuffer.length === 0) return;
    const buffer = this.#writeBuffer;
    this.#writeBuffer = [];
    this.#bufferedBytes = 0;
    this.emitReserved("flush", buffer);
    this.transport.send(buffer);
    this.emitReserved("drain");
  }

  /** Whether a packet would leave now (volatile packets are only sent then). */
  get writable(): boolean {
    return (
      this.readyState === "open" &&
      this.transport.writable &&
      !this.transport.congested &&
      this.#writeBuffer.length === 0
    );
  }

  #attach(transport: Transport): void {
    transport.protocol = this.protocol;
    transport.owner = this;
  }

  // ---- TransportOwner ---------------------------------------------------------------

  onTransportPacket(packet: EnginePacket): void {
    if (this.readyState !== "open") return;
    this.emitReserved("packet", packet);
    switch (packet.type) {
      case "pong":
        if (this.protocol === 4) {
          if (this.#heartbeatPhase === HEARTBEAT_WAIT_PONG) {
            this.#heartbeatPhase = HEARTBEAT_WAIT_PING;
            this.#pongRefreshed = false;
            this.host.pingQueue.add(this);
          }
          this.emitReserved("heartbeat");
        } else this.#onError("invalid heartbeat direction");
        break;
      case "ping":
        if (this.protocol === 3) {
          this.host.v3Queue.add(this);
          this.#sendPacket("pong", undefined, {}); // engine.io: a bare `3`, the ping data is not echoed
          this.emitReserved("heartbeat");
        } else this.#onError("invalid heartbeat direction");
        break;
      case "message":
        this.#refreshPongWait();
        // An empty message (`4`) has no data; the consumer still gets a string (and the
        // Socket.IO decoder refuses the empty frame) instead of `undefined`.
        this.consumer?.onEngineData(packet.data ?? "");
        this.emitReserved("data", packet.data!);
        this.emitReserved("message", packet.data!);
        break;
      case "close":
        this.#onClose("transport close");
        break;
      case "noop":
        break;
      default:
        // open/upgrade on an established transport: the peer does not follow the protocol.
        this.#onClose("parse error");
    }
  }

  onTransportError(description: string): void {
    if (description === "parse error") this.#onClose("parse error");
    else this.#onError(description);
  }

  onTransportClose(): void {
    this.#onClose(this.readyState === "closing" ? "forced close" : "transport close");
  }

  onTransportDrain(): void {
    this.flush();
  }

  /** engine.io 6.6.13: traffic while waiting for a pong proves the peer is alive; extend once. */
  #refreshPongWait(): void {
    if (this.#heartbeatPhase === HEARTBEAT_WAIT_PONG && !this.#pongRefreshed) {
      this.#pongRefreshed = true;
      this.host.pongQueue.add(this);
    }
  }

  /** DeadlineItem: the heartbeat deadline passed. */
  onDeadline(): void {
    if (this.readyState !== "open") return;
    if (this.protocol === 3 || this.#heartbeatPhase === HEARTBEAT_WAIT_PONG) {
      this.#onClose("ping timeout");
      return;
    }
    this.#heartbeatPhase = HEARTBEAT_WAIT_PONG;
    this.host.pongQueue.add(this);
    this.#sendPacket("ping", undefined, {});
  }

  // ---- upgrade (ProbeSession) -------------------------------------------------------

  /** Starts probing a WebSocket for this polling session (protocol "Upgrade"). */
  maybeUpgrade(ws: WebSocketTransport): void {
    this.upgrading = true;
    ws.protocol = this.protocol;
    ws.base64 = this.transport.base64;
    this.#probe = new UpgradeProbe(ws, this);
    this.#setTimer(() => this.#abortUpgrade(), this.host.upgradeTimeout);
  }

  onProbeStarted(ws: WebSocketTransport): void {
    this.emitReserved("upgrading", ws);
    // Force the pending (or next) GET to end so the client can pause polling.
    const polling = this.transport as PollingTransport;
    polling.upgrading = true;
    if (polling.writable) polling.send([{ type: "noop" }]);
  }

  onProbeUpgrade(ws: WebSocketTransport): void {
    if ((this.readyState !== "open" && this.readyState !== "closing") || this.#probe?.ws !== ws) {
      this.onProbeFailed(ws);
      return;
    }
    this.#clearUpgrade();
    const polling = this.transport;
    polling.owner = undefined;
    polling.discard();
    this.upgraded = true;
    this.transport = ws;
    this.#attach(ws);
    this.emitReserved("upgrade", ws);
    this.flush();
    if (this.readyState === "closing") ws.close();
  }

  onProbeFailed(ws: WebSocketTransport): void {
    if (this.#probe?.ws === ws) this.#abortUpgrade();
    else ws.discard();
  }

  #abortUpgrade(): void {
    const probe = this.#probe;
    if (!probe) return;
    this.#clearUpgrade();
    (this.transport as PollingTransport).upgrading = false;
    probe.ws.owner = undefined;
    probe.ws.discard();
  }

  #clearUpgrade(): void {
    this.#clearTimer();
    this.#probe = undefined;
    this.upgrading = false;
  }

  #onError(description: string): void {
    this.#onClose("transport error", description);
  }

  #onClose(reason: EngineCloseReason, description?: string): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.dlQueue?.remove(this);
    this.#abortUpgrade();
    this.#clearTimer();
    this.#writeBuffer = [];
    this.#bufferedBytes = 0;
    const transport = this.transport;
    transport.owner = undefined;
    // A carrier the client closed is dropped; otherwise the client is told with a graceful
    // close (polling: `1` to a pending GET, or `6\x1e1` to the next one).
    if (reason === "transport close") transport.discard();
    else transport.close();
    this.host.onSessionClosed(this);
    this.consumer?.onEngineClose(reason, description);
    this.emitReserved("close", reason, description);
  }
}
