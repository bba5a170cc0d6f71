/**
 * The Socket.IO client Manager (protocol doc §1.8): owns one Engine.IO connection, decodes
 * Socket.IO packets for the namespace sockets multiplexed on it, and reconnects with
 * exponential backoff and jitter. There is no module-global Manager cache: sockets share a
 * connection by being created from the same Manager (`manager.socket("/admin")`).
 *
 * The Manager hands its events (`open`, `packet`, `error`, `close`, `reconnect_failed`) to its
 * active sockets directly, then to its own listeners; it listens to each engine it creates for
 * that engine's whole life, and a listener acts only while its engine is current.
 */
import {
  Emitter,
  SocketDecoder,
  encodePacket,
  validateDecodedPacket,
  type EventNames,
  type EventParams,
  type Parser,
  type ParserDecoder,
  type SocketPacket,
} from "@omnio/protocol";
import { EngineSocket } from "../engine/engine-socket.js";
import { ClientError, type EngineCloseReason } from "../errors.js";
import type { Platform, TimerHandle, Unsubscribe } from "../platform/contract.js";
import { backoffDelay } from "./backoff.js";
import { walkBlobs } from "./blob-queue.js";
import {
  resolveManagerOptions,
  type ManagerOptions,
  type ResolvedManagerOptions,
  type SocketOptions,
} from "./options.js";
import type { OutPacket } from "./send-buffer.js";
import { Socket } from "./socket.js";

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
  readonly #nsps = new Map<string, Socket>();
  readonly #decoder: SocketDecoder;
  /** The `parser` option's encoder and decoder; without it the built-in codec is used. */
  readonly #custom: [encoder: InstanceType<Parser["Encoder"]>, decoder: ParserDecoder] | undefined;
  /** What the custom decoder emits during one `add()` (checked and emitted after it returns). */
  #inbox: unknown[] | undefined;
  #engine: EngineSocket | undefined;
  #readyState: ManagerReadyState = "closed";
  #skipReconnect = false;
  #reconnecting = false;
  /** Reconnection delays handed out since the last success (socket.io-client's backoff attempts). */
  #attempts = 0;
  #reconnectTimer: TimerHandle = undefined;
  /** The connect timeout of the current `open()`. */
  #openTimer: TimerHandle = undefined;
  /**
   * Packets on their way to the engine, in emit order: empty but for a packet whose Blobs are
   * being read (the first) and those emitted meanwhile.
   */
  #blobQueue: OutPacket[] = [];
  /** Lifecycle listeners, held only while a reconnection delay is running. */
  #wakeSubs: Unsubscribe[] = [];

  constructor(uri: string, options: ManagerOptions) {
    super();
    this.uri = uri;
    this.#opts = resolveManagerOptions(options);
    this.#platform = options.platform;
    this.#decoder = new SocketDecoder({ maxAttachments: this.#opts.maxAttachments });
    const parser = options.parser;
    if (parser) {
      const decoder = new parser.Decoder();
      this.#custom = [new parser.Encoder(), decoder];
      // A decoder may also emit outside `add()` (later): such a packet is delivered at once.
      decoder.on("decoded", (packet: unknown) => (this.#inbox ? this.#inbox.push(packet) : this.#deliver([packet])));
    }
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
    const engine = new EngineSocket(this.uri, this.#opts.engine);
    this.#engine = engine;
    this.#readyState = "opening";
    this.#skipReconnect = false;
    // The listeners stay on this engine but act only while it is the Manager's engine and the
    // Manager is opening or open: an engine closed or replaced is never heard again.
    const live = (): boolean => this.#engine === engine && this.#readyState !== "closed";
    const opening = (): boolean => this.#readyState === "opening";
    const onError = (error: Error): void => {
      this.#cleanup();
      this.#readyState = "closed";
      engine.close();
      this.#emit("error", error);
      if (callback !== undefined) callback(error);
      else if (!this.#reconnecting && this.reconnection && this.#attempts === 0) this.#reconnect();
    };
    engine.on("open", () => {
      if (!live()) return;
      this.#cleanup();
      this.#readyState = "open";
      this.#emit("open");
      callback?.();
    });
    engine.on("error", (error) => {
      if (!live()) return;
      if (opening()) onError(error);
      else this.#emit("error", error);
    });
    engine.on("close", (reason, details) => {
      if (!live()) return;
      // Closed before opening without an error event (e.g. the platform went offline).
      if (opening())
        onError(details instanceof Error ? details : new Error(typeof details === "string" ? details : reason));
      else this.#onClose(reason, details);
    });
    engine.on("ping", () => {
      if (live()) this.emitReserved("ping");
    });
    engine.on("message", (data) => {
      if (!live()) return;
      if (this.#custom) return this.#receive(data);
      let packet: SocketPacket | undefined;
      try {
        packet = this.#decoder.add(data);
      } catch (error) {
        return this.#onClose("parse error", error);
      }
      if (packet !== undefined) this.#emit("packet", packet);
    });
    const timeout = this.#opts.timeout;
    if (timeout !== false) {
      // Cleared when the engine opens or fails (`#cleanup`).
      this.#openTimer = this.#platform.setTimeout(() => {
        if (live()) onError(new ClientError("CONNECT_TIMEOUT"));
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
  socket(nsp: string, options?: SocketOptions): Socket {
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
  _destroy(): void {
    for (const socket of this.#nsps.values()) if (socket.active) return;
    this.close();
  }

  /**
   * @internal Encodes and writes a packet for a socket (with its `compress` wish). A packet
   * holding Blobs waits until they are read (see `blob-queue.ts`), and later packets wait behind it.
   */
  _packet(packet: OutPacket): void {
    if (this.#blobQueue.push(packet) === 1) this.#flush();
  }

  #write(packet: OutPacket): void {
    const engine = this.#engine;
    const custom = this.#custom;
    if (engine === undefined) return;
    // A custom encoder gets the packet as is, `compress` included (socket.io-client's packets
    // carry `options.compress`; decoders ignore keys they do not know).
    const frames = (custom ? custom[0].encode(packet) : encodePacket(packet)) as Iterable<
      string | ArrayBuffer | ArrayBufferView
    >;
    // The packet's `compress` is the engine's send option of the same name.
    for (const frame of frames) engine.send(frame, packet);
  }

  /**
   * A message for the custom decoder. A throw closes the connection with "parse error", as a
   * malformed frame does with the built-in decoder; the packets it emitted are then checked
   * and emitted in order.
   */
  #receive(data: string | ArrayBuffer): void {
    const inbox: unknown[] = (this.#inbox = []);
    try {
      // Binary in the host's type, as the official client hands it (Node: a Buffer).
      this.#custom![1].add(typeof data === "string" ? data : (this.#platform.toParserBinary?.(data) ?? data));
    } catch (error) {
      return this.#onClose("parse error", error);
    } finally {
      this.#inbox = undefined;
    }
    this.#deliver(inbox);
  }

  /** Emits the custom decoder's packets while the connection is open; an invalid one closes it with "parse error". */
  #deliver(packets: unknown[]): void {
    for (const raw of packets) {
      if (this.#readyState !== "open") return;
      let packet;
      try {
        packet = validateDecodedPacket(raw);
      } catch (error) {
        return this.#onClose("parse error", error);
      }
      this.#emit("packet", packet);
    }
  }

  /**
   * Writes the waiting packets in order. One holding Blobs stops the line while the platform
   * reads them all at once; then it is written (or dropped with `error` BLOB_READ_ERROR if a
   * read failed) and the line moves on.
   */
  #flush(): void {
    const queue = this.#blobQueue;
    const isBlob = this.#platform.isBlob;
    // A packet leaves the queue before it is written: one that cannot be encoded (the emit
    // throws) does not hold up the packets after it.
    for (let packet; this.#blobQueue === queue && (packet = queue[0]) !== undefined;) {
      const blobs: unknown[] = [];
      if (isBlob !== undefined) walkBlobs(packet.data, isBlob, blobs);
      if (blobs.length === 0) {
        queue.shift();
        this.#write(packet);
        continue;
      }
      const buffers = new Map<unknown, ArrayBuffer>();
      let waiting = blobs.length + 1;
      let failed: [cause: unknown] | undefined;
      const done = (): void => {
        // A closed connection emptied the queue: this packet must not reach the next one.
        if (--waiting > 0 || this.#blobQueue !== queue) return;
        queue.shift();
        if (failed !== undefined) this.#emit("error", new ClientError("BLOB_READ_ERROR", { cause: failed[0] }));
        else this.#write({ ...packet, data: walkBlobs(packet.data, isBlob!, buffers) });
        this.#flush();
      };
      const read = this.#platform.readBlob;
      for (const blob of blobs) {
        const settle = (buffer: ArrayBuffer | undefined, error?: unknown): void => {
          if (buffer !== undefined) buffers.set(blob, buffer);
          else failed = [error];
          done();
        };
        if (read === undefined) settle(undefined);
        else read(blob, settle);
      }
      return done();
    }
  }

  /** Emits a Manager event, first to the active sockets (socket.io-client's sockets subscribe to them). */
  #emit<Ev extends EventNames<ManagerEvents>>(ev: Ev, ...args: EventParams<ManagerEvents, Ev>): void {
    for (const socket of [...this.#nsps.values()])
      if (socket.active) socket._onManager(ev, ...(args as [unknown?, unknown?]));
    this.emitReserved(ev, ...args);
  }

  #cleanup(): void {
    if (this.#openTimer !== undefined) this.#platform.clearTimeout(this.#openTimer);
    this.#openTimer = undefined;
    this.#decoder.destroy();
    try {
      this.#custom?.[1].destroy?.();
    } catch {
      // A custom decoder's cleanup is user code; the connection is gone either way.
    }
  }

  #onClose(reason: ManagerCloseReason, description?: unknown): void {
    const wasClosed = this.#readyState === "closed" && this.#engine === undefined;
    this.#cleanup();
    this.#blobQueue = [];
    const engine = this.#engine;
    this.#engine = undefined;
    engine?.close();
    this.#attempts = 0;
    this.#readyState = "closed";
    if (!wasClosed) this.#emit("close", reason, description);
    if (this.reconnection) this.#reconnect();
  }

  #reconnect(): void {
    if (this.#reconnecting || this.#skipReconnect) return;
    const o = this.#opts;
    if (this.#attempts >= o.reconnectionAttempts) {
      this.#attempts = 0;
      this.#reconnecting = false;
      this.#emit("reconnect_failed");
      return;
    }
    this.#reconnecting = true;
    const delay = backoffDelay(
      this.#attempts++,
      o.reconnectionDelay,
      o.reconnectionDelayMax,
      o.randomizationFactor,
      o.random,
    );
    this.#schedule(delay);
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
      this.#attempts = 1; // a fresh backoff; this try is attempt 1
      this.#schedule(0);
    };
    for (const subscribe of [lifecycle.onNetworkChange, lifecycle.onVisibilityChange]) {
      if (subscribe !== undefined) this.#wakeSubs.push(subscribe.call(lifecycle, wake));
    }
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
    this.emitReserved("reconnect_attempt", this.#attempts);
    if (this.#skipReconnect) return;
    this.open((error) => {
      this.#reconnecting = false;
      if (error !== undefined) {
        this.#reconnect();
        this.emitReserved("reconnect_error", error);
      } else {
        const attempt = this.#attempts;
        this.#attempts = 0;
        this.emitReserved("reconnect", attempt);
      }
    });
  }
}
