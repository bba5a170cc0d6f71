/**
 * The Socket.IO client Manager (protocol doc §1.8): owns one Engine.IO connection, decodes
 * Socket.IO packets for the namespace sockets multiplexed on it, and reconnects with
 * exponential backoff and jitter. There is no module-global Manager cache: sockets share a
 * connection by being created from the same Manager (`manager.socket("/admin")`).
 */
import { Emitter, SocketDecoder, encodePacket, type SocketPacket } from "@omnio/protocol";
import { EngineSocket, type EngineSocketEvents } from "../engine/engine-socket.js";
import { ClientError, type EngineCloseReason } from "../errors.js";
import type { Platform, TimerHandle, Unsubscribe } from "../platform/contract.js";
import { Backoff } from "./backoff.js";
import { BlobQueue } from "./blob-queue.js";
import {
  resolveManagerOptions,
  type ManagerOptions,
  type ResolvedManagerOptions,
  type SocketOptions,
} from "./options.js";
import { Socket } from "./socket.js";
import { subscriber, type Subscription } from "./subscribe.js";

/** Why the Manager's connection closed: the engine's reasons. */
export type ManagerCloseReason = EngineCloseReason;

/** Events of {@link Manager}. */
export interface ManagerEvents {
  /** The engine opened (first connection or reconnection). */
  open: () => void;
  /** The engine failed to open, or failed while open (`EngineError` or `ClientError` "timeout"). */
  error: (error: Error) => void;
  /** A server ping arrived. */
  ping: () => void;
  /** A Socket.IO packet was decoded (any namespace). */
  packet: (packet: SocketPacket) => void;
  close: (reason: ManagerCloseReason, description?: unknown) => void;
  /** A reconnection attempt starts (1-based). */
  reconnect_attempt: (attempt: number) => void;
  /** The reconnection succeeded after `attempt` attempts. */
  reconnect: (attempt: number) => void;
  reconnect_error: (error: Error) => void;
  /** `reconnectionAttempts` reached; the Manager stays closed. */
  reconnect_failed: () => void;
}

/** Connection state of a {@link Manager}. */
export type ManagerReadyState = "closed" | "opening" | "open";

/**
 * @example
 * import { Manager } from "@omnio/client";
 * import { createNodePlatform } from "@omnio/client/node";
 * const manager = new Manager("http://localhost:3000", { platform: createNodePlatform() });
 * const main = manager.socket("/");
 * const admin = manager.socket("/admin"); // same connection
 */
export class Manager extends Emitter<ManagerEvents> {
  /** The server URL (only scheme, host and port are used; the namespace is per socket). */
  readonly uri: string;
  readonly #opts: ResolvedManagerOptions;
  readonly #platform: Platform;
  readonly #backoff: Backoff;
  readonly #nsps = new Map<string, Socket>();
  readonly #upgradeMemory: { websocketSucceeded: boolean };
  #decoder: SocketDecoder;
  #engine: EngineSocket | undefined;
  #readyState: ManagerReadyState = "closed";
  #subs: Subscription[] = [];
  #skipReconnect = false;
  #reconnecting = false;
  #reconnectTimer: TimerHandle = undefined;
  /** The connect timeout of the current `open()`; cleared with the subscriptions. */
  #openTimer: TimerHandle = undefined;
  /** Packets waiting for their Blobs to be read, in emit order. */
  readonly #blobs: BlobQueue;
  /** Lifecycle listeners, held only while a reconnection delay is running. */
  #wakeSubs: Unsubscribe[] = [];

  constructor(uri: string, options: ManagerOptions) {
    super();
    this.uri = uri;
    this.#opts = resolveManagerOptions(options);
    this.#platform = options.platform;
    this.#upgradeMemory = options.upgradeMemory ?? { websocketSucceeded: false };
    this.#backoff = new Backoff({
      min: this.#opts.reconnectionDelay,
      max: this.#opts.reconnectionDelayMax,
      jitter: this.#opts.randomizationFactor,
      random: this.#opts.random,
    });
    this.#decoder = new SocketDecoder({ maxAttachments: this.#opts.maxAttachments });
    this.#blobs = new BlobQueue(this.#platform, {
      write: (packet, compress) => {
        const options = compress === undefined ? undefined : { compress };
        if (this.#engine !== undefined) for (const frame of encodePacket(packet)) this.#engine.send(frame, options);
      },
      fail: (cause) => this.emitReserved("error", new ClientError("BLOB_READ_ERROR", { cause })),
    });
    if (this.#opts.autoConnect) this.open();
  }

  /** The current engine connection, if any. */
  get engine(): EngineSocket | undefined {
    return this.#engine;
  }
  get readyState(): ManagerReadyState {
    return this.#readyState;
  }
  /** True while a reconnection is scheduled or running. */
  get reconnecting(): boolean {
    return this.#reconnecting;
  }
  /** Whether a lost connection is retried (the `reconnection` option; false after `close()`). */
  get reconnection(): boolean {
    return this.#opts.reconnection && !this.#skipReconnect;
  }
  /** The platform this Manager runs on. */
  get platform(): Platform {
    return this.#platform;
  }
  /** Whether sockets connect when created (the `autoConnect` option). */
  get autoConnect(): boolean {
    return this.#opts.autoConnect;
  }
  /** The namespaces that have a socket on this Manager. */
  namespaces(): string[] {
    return [...this.#nsps.keys()];
  }

  /**
   * Opens the connection; `callback` gets an error if it fails (then no automatic
   * reconnection is scheduled by this call).
   */
  open(callback?: (error?: Error) => void): this {
    if (this.#readyState !== "closed") return this;
    const engine = new EngineSocket(this.uri, { ...this.#opts.engine, upgradeMemory: this.#upgradeMemory });
    this.#engine = engine;
    this.#readyState = "opening";
    this.#skipReconnect = false;
    const on = subscriber<EngineSocketEvents>(engine);
    const onError = (error: Error): void => {
      this.#cleanup();
      this.#readyState = "closed";
      engine.close();
      this.emitReserved("error", error);
      if (callback !== undefined) callback(error);
      else this.#maybeReconnectOnOpen();
    };
    this.#subs.push(
      on("open", () => {
        this.#onOpen(engine);
        callback?.();
      }),
      on("error", onError),
      // Closed before opening without an error event (e.g. the platform went offline).
      on("close", (reason, details) =>
        onError(details instanceof Error ? details : new Error(typeof details === "string" ? details : reason)),
      ),
    );
    const timeout = this.#opts.timeout;
    if (timeout !== false) {
      this.#openTimer = this.#platform.setTimeout(() => {
        this.#openTimer = undefined;
        if (this.#engine === engine && this.#readyState === "opening") onError(new ClientError("CONNECT_TIMEOUT"));
      }, timeout);
    }
    return this;
  }
  /** Alias of `open`. */
  connect(callback?: (error?: Error) => void): this {
    return this.open(callback);
  }

  /**
   * The socket of namespace `nsp` on this connection: created on first use, reused after
   * (reconnected if it was disconnected and `autoConnect` is on).
   */
  socket(nsp: string, options: SocketOptions = {}): Socket {
    const name = nsp.startsWith("/") ? nsp : "/" + nsp;
    let socket = this.#nsps.get(name);
    if (socket === undefined) {
      socket = new Socket(this, name, options);
      this.#nsps.set(name, socket);
    } else if (this.#opts.autoConnect && !socket.active) {
      socket.connect();
    }
    return socket;
  }

  /** Closes the connection and stops reconnecting; sockets get `disconnect` "io client disconnect" from their own `disconnect()`, the Manager `close` "forced close". */
  close(): this {
    this.#skipReconnect = true;
    this.#reconnecting = false;
    this.#cancelDelay();
    this.#onClose("forced close");
    return this;
  }
  /** Alias of `close`. */
  disconnect(): this {
    return this.close();
  }

  /** @internal Called by a socket that left: the connection closes when no socket is active. */
  _destroy(_socket: Socket): void {
    for (const socket of this.#nsps.values()) if (socket.active) return;
    this.close();
  }

  /**
   * @internal Encodes and writes a packet for a socket. A packet holding Blobs waits until they
   * are read (see `blob-queue.ts`), and later packets wait behind it.
   */
  _packet(packet: SocketPacket, compress?: boolean): void {
    this.#blobs.push(packet, compress);
  }

  #onOpen(engine: EngineSocket): void {
    this.#cleanup();
    const on = subscriber<EngineSocketEvents>(engine);
    this.#readyState = "open";
    this.#subs.push(
      on("ping", () => this.emitReserved("ping")),
      on("message", (data) => this.#onData(data)),
      on("error", (error) => this.emitReserved("error", error)),
      on("close", (reason, details) => this.#onClose(reason, details)),
    );
    this.emitReserved("open");
  }

  #onData(data: string | ArrayBuffer): void {
    let packet: SocketPacket | undefined;
    try {
      packet = this.#decoder.add(data);
    } catch (error) {
      this.#onClose("parse error", error);
      return;
    }
    if (packet !== undefined) this.emitReserved("packet", packet);
  }

  #cleanup(): void {
    if (this.#openTimer !== undefined) {
      this.#platform.clearTimeout(this.#openTimer);
      this.#openTimer = undefined;
    }
    for (const unsubscribe of this.#subs) unsubscribe();
    this.#subs = [];
    this.#decoder.destroy();
  }

  #onClose(reason: ManagerCloseReason, description?: unknown): void {
    const wasClosed = this.#readyState === "closed" && this.#engine === undefined;
    this.#cleanup();
    this.#blobs.clear();
    const engine = this.#engine;
    this.#engine = undefined;
    engine?.close();
    this.#backoff.reset();
    this.#readyState = "closed";
    if (!wasClosed) this.emitReserved("close", reason, description);
    if (this.#opts.reconnection && !this.#skipReconnect) this.#reconnect();
  }

  #maybeReconnectOnOpen(): void {
    if (!this.#reconnecting && this.#opts.reconnection && this.#backoff.attempts === 0) this.#reconnect();
  }

  #reconnect(): void {
    if (this.#reconnecting || this.#skipReconnect) return;
    if (this.#backoff.attempts >= this.#opts.reconnectionAttempts) {
      this.#backoff.reset();
      this.#reconnecting = false;
      this.emitReserved("reconnect_failed");
      return;
    }
    this.#reconnecting = true;
    this.#schedule(this.#backoff.duration());
  }

  /** Waits `delay` ms before the next attempt; a network or visibility wake-up cuts the wait short. */
  #schedule(delay: number): void {
    this.#reconnectTimer = this.#platform.setTimeout(() => this.#attempt(), delay);
    const lifecycle = this.#platform.lifecycle;
    if (lifecycle === undefined || this.#wakeSubs.length > 0) return;
    let subscribing = true;
    const wake = (up: boolean): void => {
      // The host came back (network online, app visible): the delay was computed for a link that
      // was down, so try now with a fresh backoff instead of waiting up to reconnectionDelayMax.
      // A call made while subscribing reports the current state, not a change: ignored.
      if (!up || subscribing || this.#reconnectTimer === undefined) return;
      this.#cancelDelay();
      this.#backoff.reset();
      this.#backoff.duration(); // counts this attempt as attempt 1
      this.#schedule(0);
    };
    if (lifecycle.onNetworkChange !== undefined) this.#wakeSubs.push(lifecycle.onNetworkChange(wake));
    if (lifecycle.onVisibilityChange !== undefined) this.#wakeSubs.push(lifecycle.onVisibilityChange(wake));
    subscribing = false;
  }

  #cancelDelay(): void {
    if (this.#reconnectTimer !== undefined) this.#platform.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    for (const unsubscribe of this.#wakeSubs) unsubscribe();
    this.#wakeSubs = [];
  }

  #attempt(): void {
    this.#cancelDelay();
    if (this.#skipReconnect) return;
    this.emitReserved("reconnect_attempt", this.#backoff.attempts);
    if (this.#skipReconnect) return;
    this.open((error) => {
      if (error !== undefined) {
        this.#reconnecting = false;
        this.#reconnect();
        this.emitReserved("reconnect_error", error);
      } else {
        const attempt = this.#backoff.attempts;
        this.#reconnecting = false;
        this.#backoff.reset();
        this.emitReserved("reconnect", attempt);
      }
    });
  }
}
