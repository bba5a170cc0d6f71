/**
 * The Socket.IO client socket of one namespace (protocol doc §1.9, §2.3), with
 * socket.io-client 4.x's API: emit with acks, `timeout`, `volatile`, `emitWithAck`, catch-all
 * listeners, the send buffer (emits while disconnected, flushed in order on CONNECT), the
 * receive buffer (events before the CONNECT reply) and connection state recovery (`pid` and
 * the last offset sent back in CONNECT, `recovered`). Beyond socket.io-client: the send buffer
 * is bounded (`send-buffer.ts`), `retries` resends with a stable ack id that an omnio server
 * deduplicates (`retry-queue.ts`), and the connection `state` is observable (`state.ts`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- listener parameter lists are arbitrary by design */
import {
  ACK_DEDUP_AUTH_KEY,
  PacketType,
  RESERVED_EVENTS,
  type DefaultEventsMap,
  type EventNames,
  type EventParams,
  type EventsMap,
  type SocketPacket,
} from "@omnio/protocol";
import { ClientError, type DisconnectReason } from "../errors.js";
import type { Platform, TimerHandle } from "../platform/contract.js";
import type { Manager, ManagerEvents } from "./manager.js";
import type { SocketOptions } from "./options.js";
import { RetryQueue, type RetryHost } from "./retry-queue.js";
import { SendBuffer, resolveSendBufferOptions, type Dropped } from "./send-buffer.js";
import { StateCell, type SocketState, type StateListener } from "./state.js";
import { subscriber, type Subscription } from "./subscribe.js";
import { TypedEmitter, emitLocal } from "./typed-emitter.js";
import type { AckResult, AllButLast, DecorateAcknowledgements, Last } from "./typed-events.js";

/** Events the library emits on a client socket (never sent on the wire). */
export interface SocketReservedEvents {
  /** The namespace accepted the socket (also after each reconnection). */
  connect: () => void;
  /** The connection or the namespace failed: `EngineError`, or `ClientError` with the server's `message`/`data`. */
  connect_error: (error: Error) => void;
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
}

type AnyListener = (event: string, ...args: any[]) => void;

interface AckEntry {
  fn: (...args: any[]) => void;
  /** Error-first callback (a timeout applies): gets `null` first on success. */
  withError: boolean;
  timer: TimerHandle;
  /** Owned by the `retries` queue (resent on reconnection, not failed on disconnect). */
  queued?: boolean;
}

interface Flags {
  volatile?: boolean;
  timeout?: number;
  compress?: boolean;
}

/**
 * A namespace socket. Created by `io()` or `manager.socket(nsp)`.
 *
 * @example
 * const socket = io("http://localhost:3000/chat", { auth: { token } });
 * socket.on("connect", () => socket.emit("hello", "world", (reply: string) => console.log(reply)));
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends TypedEmitter<ListenEvents, SocketReservedEvents> {
  /** The Manager (and its connection) this socket belongs to. */
  readonly io: Manager;
  /** The namespace, e.g. `/` or `/admin`. */
  readonly nsp: string;
  /** The session id given by the server; `undefined` while disconnected. */
  id: string | undefined;
  connected = false;
  /** True when connection state recovery restored the session at the last connect. */
  recovered = false;
  /** Sent in CONNECT: an object, or a function called at every connect. */
  auth: SocketOptions["auth"];
  readonly #ackTimeout: number | undefined;
  #subs: Subscription[] | undefined;
  #ids = 0;
  readonly #acks = new Map<number, AckEntry>();
  #flags: Flags = {};
  readonly #sendBuffer: SendBuffer;
  readonly #retry: RetryQueue | undefined;
  /** Random token naming this socket's acks across reconnections (sent when `retries` is on). */
  readonly #ackScope: string | undefined;
  readonly #state = new StateCell<SocketState>("disconnected");
  #receiveBuffer: unknown[][] = [];
  #anyListeners: AnyListener[] = [];
  #anyOutgoingListeners: AnyListener[] = [];
  #pid: string | undefined;
  #lastOffset: string | undefined;
  /** Guards an `auth` callback that answers after the connect attempt it belongs to. */
  #connectAttempt = 0;

  constructor(io: Manager, nsp: string, options: SocketOptions = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.auth = options.auth;
    this.#ackTimeout = options.ackTimeout;
    const limits = resolveSendBufferOptions(options.sendBuffer);
    this.#sendBuffer = new SendBuffer(limits);
    const retries = options.retries ?? 0;
    if (!(retries >= 0)) throw new TypeError("The retries option must be a number ≥ 0.");
    if (retries > 0) {
      this.#retry = new RetryQueue(this.#retryHost(), retries, new SendBuffer(limits));
      this.#ackScope = randomToken(io.platform);
    }
    if (io.autoConnect) this.connect();
  }

  get disconnected(): boolean {
    return !this.connected;
  }
  /** True while the socket follows its Manager and will reconnect; false after `disconnect()`, a server disconnect or a refused CONNECT. */
  get active(): boolean {
    return this.#subs !== undefined;
  }

  /**
   * The connection state: `disconnected → connecting → connected → reconnecting → connected …`
   * (see {@link SocketState}). Listen with {@link onStateChange}.
   */
  get state(): SocketState {
    return this.#state.value;
  }
  /**
   * Calls `listener(state, previous)` after each state change; returns a function that removes
   * it. (Not a `"state"` event: that name may be a user event sent by the server.)
   *
   * @example
   * const stop = socket.onStateChange((state, previous) => badge.textContent = state);
   */
  onStateChange(listener: StateListener): () => void {
    return this.#state.subscribe(listener);
  }

  /** Connects (opening the Manager's connection if needed). */
  connect(): this {
    if (this.connected) return this;
    this.#state.set(this.io.reconnecting ? "reconnecting" : "connecting");
    this.#subEvents();
    if (!this.io.reconnecting) this.io.open();
    if (this.io.readyState === "open") this.#onOpen();
    return this;
  }
  /** Alias of `connect`. */
  open(): this {
    return this.connect();
  }

  /** Leaves the namespace (`disconnect` "io client disconnect"); the connection closes when no socket is left. */
  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.#packet({ type: PacketType.DISCONNECT, nsp: this.nsp });
    this.#destroy();
    if (wasConnected) this.#onClose("io client disconnect");
    return this;
  }
  /** Alias of `disconnect`. */
  close(): this {
    return this.disconnect();
  }

  /** Emits `message` (socket.io's `send`). */
  send(...args: unknown[]): this {
    return this.#emitEvent(["message", ...args]);
  }
  /** Alias of `send`. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /**
   * Sends an event. A function as last argument is the acknowledgement callback (error-first
   * when a timeout applies). While disconnected the packet waits in the send buffer.
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    if (RESERVED_EVENTS.has(ev)) {
      throw new ClientError("RESERVED_EVENT", { message: `"${ev}" is a reserved event name` });
    }
    return this.#emitEvent([ev, ...(args as unknown[])]);
  }

  /**
   * Sends an event and resolves with the acknowledgement's first argument; rejects with
   * `ClientError` ACK_TIMEOUT when a timeout applies and passes.
   *
   * The result type is the acknowledgement's first argument in `EmitEvents` (an explicit
   * `emitWithAck<T>(…)` still works for untyped maps).
   *
   * @example
   * const reply = await socket.timeout(1000).emitWithAck("hello", 1);
   */
  emitWithAck<
    T = never,
    Ev extends EventNames<EmitEvents> = EventNames<EmitEvents>,
    R = [T] extends [never] ? AckResult<Last<EventParams<EmitEvents, Ev>>> : T,
  >(ev: Ev, ...args: AllButLast<EventParams<EmitEvents, Ev>>): Promise<R> {
    const withError = this.#flags.timeout !== undefined || this.#ackTimeout !== undefined || this.#retry !== undefined;
    return new Promise<R>((resolve, reject) => {
      const callback = (arg1: unknown, arg2: unknown): void => {
        // A ClientError never comes from the wire: it is a local failure (buffer overflow, expiry).
        if (!withError) return arg1 instanceof ClientError ? reject(arg1) : resolve(arg1 as R);
        if (arg1 !== null && arg1 !== undefined) reject(arg1 instanceof Error ? arg1 : new Error(JSON.stringify(arg1)));
        else resolve(arg2 as R);
      };
      this.#emitEvent([ev, ...args, callback]);
    });
  }

  /** The next emit is dropped when the connection is not writable at that moment. */
  get volatile(): this {
    this.#flags.volatile = true;
    return this;
  }
  /**
   * The next emit's ack callback gets an error (`operation has timed out`) after `ms`; its type
   * becomes error-first (see {@link DecorateAcknowledgements}).
   */
  timeout(ms: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    this.#flags.timeout = ms;
    return this;
  }
  /**
   * Compression flag of the next emit: `false` asks the platform not to deflate its WebSocket
   * frames (Node `ws` honours it when per-message deflate was negotiated; browsers cannot choose
   * and ignore it; polling is never compressed by the client).
   */
  compress(compress: boolean): this {
    this.#flags.compress = compress;
    return this;
  }

  /** Catch-all listener for incoming events. */
  onAny(listener: AnyListener): this {
    this.#anyListeners.push(listener);
    return this;
  }
  prependAny(listener: AnyListener): this {
    this.#anyListeners.unshift(listener);
    return this;
  }
  offAny(listener?: AnyListener): this {
    this.#anyListeners = listener === undefined ? [] : this.#anyListeners.filter((l) => l !== listener);
    return this;
  }
  listenersAny(): AnyListener[] {
    return this.#anyListeners.slice();
  }
  /** Catch-all listener for outgoing events (called when the packet is actually written). */
  onAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners.push(listener);
    return this;
  }
  prependAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners.unshift(listener);
    return this;
  }
  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners = listener === undefined ? [] : this.#anyOutgoingListeners.filter((l) => l !== listener);
    return this;
  }
  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOutgoingListeners.slice();
  }

  // --- sending ---

  #emitEvent(args: unknown[]): this {
    const flags = this.#flags;
    this.#flags = {};
    const packet: SocketPacket & { compress?: boolean } = { type: PacketType.EVENT, nsp: this.nsp, data: args };
    if (flags.compress !== undefined) packet.compress = flags.compress;
    const last = args[args.length - 1];
    if (this.#retry !== undefined && flags.volatile !== true) {
      // Every queued packet carries an ack id (the server must ack), stable across resends.
      const id = this.#ids++;
      const fn = typeof last === "function" ? (args.pop() as (...a: any[]) => void) : noop;
      packet.id = id;
      this.#acks.set(id, { fn, withError: true, timer: undefined, queued: true });
      try {
        this.#retry.add(packet, flags.timeout ?? this.#ackTimeout);
      } catch (error) {
        this.#acks.delete(id);
        throw error;
      }
      return this;
    }
    if (typeof last === "function") {
      const id = this.#ids++;
      args.pop();
      this.#registerAck(id, last as (...a: any[]) => void, flags.timeout ?? this.#ackTimeout);
      packet.id = id;
    }
    const isConnected = this.#canSend();
    if (flags.volatile === true && !(isConnected && this.io.engine!.writable)) return this;
    if (isConnected) {
      this.#write(packet);
    } else {
      let dropped: Dropped[];
      try {
        dropped = this.#sendBuffer.push(packet, this.io.platform.now());
      } catch (error) {
        if (packet.id !== undefined) this.#settleDropped([{ packet, error: error as ClientError }], false);
        throw error;
      }
      this.#settleDropped(dropped, true);
    }
    return this;
  }

  /** Acks of packets that left a buffer unsent: each gets its error (unless `notify` is false: then only removed). */
  #settleDropped(dropped: Dropped[], notify: boolean): void {
    for (const { packet, error } of dropped) {
      const entry = this.#takeAck(packet.id);
      if (notify) entry?.fn.call(this, error);
    }
  }

  /** Removes the ack entry of `id` (and stops its timer); returns it, if there was one. */
  #takeAck(id: number | undefined): AckEntry | undefined {
    const entry = id === undefined ? undefined : this.#acks.get(id);
    if (entry === undefined) return undefined;
    this.#acks.delete(id!);
    if (entry.timer !== undefined) this.io.platform.clearTimeout(entry.timer);
    return entry;
  }

  #retryHost(): RetryHost {
    const platform = this.io.platform;
    return {
      canSend: () => this.#canSend(),
      write: (packet) => this.#write(packet),
      fail: (dropped) => this.#settleDropped(dropped, true),
      now: () => platform.now(),
      setTimeout: (fn, ms) => platform.setTimeout(fn, ms),
      clearTimeout: (handle) => platform.clearTimeout(handle),
    };
  }

  #registerAck(id: number, fn: (...args: any[]) => void, timeout: number | undefined): void {
    if (timeout === undefined) {
      this.#acks.set(id, { fn, withError: false, timer: undefined });
      return;
    }
    const platform = this.io.platform;
    const timer = platform.setTimeout(() => {
      if (this.#acks.get(id)?.timer !== timer) return;
      this.#acks.delete(id);
      // A timed-out emit still waiting in the send buffer is never sent later (sio#4318).
      this.#sendBuffer.remove(id);
      fn.call(this, new ClientError("ACK_TIMEOUT"));
    }, timeout);
    this.#acks.set(id, { fn, withError: true, timer });
  }

  /** Connected, and the link is not presumed dead (no ping within the deadline). */
  #canSend(): boolean {
    const engine = this.io.engine;
    return this.connected && engine !== undefined && !engine.hasPingExpired();
  }

  #packet(packet: SocketPacket & { compress?: boolean }): void {
    this.io._packet(packet, packet.compress);
  }

  /** Writes an event packet, after the `onAnyOutgoing` listeners. */
  #write(packet: SocketPacket): void {
    const args = packet.data as [string, ...unknown[]];
    for (const listener of this.#anyOutgoingListeners.slice()) listener(...args);
    this.#packet(packet);
  }

  // --- Manager events ---

  #subEvents(): void {
    if (this.#subs !== undefined) return;
    const on = subscriber<ManagerEvents>(this.io);
    this.#subs = [
      on("open", () => this.#onOpen()),
      on("packet", (packet) => this.#onPacket(packet)),
      on("error", (error) => {
        if (this.connected) return;
        this.#state.set(this.io.reconnection ? "reconnecting" : "disconnected");
        this.emitReserved("connect_error", error);
      }),
      on("reconnect_failed", () => this.#state.set("disconnected")),
      on("close", (reason, description) => this.#onClose(reason, description)),
    ];
  }

  #onOpen(): void {
    const attempt = ++this.#connectAttempt;
    const auth = this.auth;
    if (typeof auth === "function") {
      auth((data) => {
        if (attempt === this.#connectAttempt && this.active && this.io.readyState === "open") this.#sendConnect(data);
      });
    } else {
      this.#sendConnect(auth);
    }
  }

  #sendConnect(auth: Record<string, unknown> | undefined): void {
    // Connection state recovery: the server restores the session from `pid` and replays what
    // was missed after `offset` (protocol doc §1.6, §1.9).
    let data = this.#pid !== undefined ? { pid: this.#pid, offset: this.#lastOffset, ...auth } : auth;
    // With `retries`, the ack scope lets an omnio server answer a resent packet from its ack cache.
    if (this.#ackScope !== undefined) data = { ...data, [ACK_DEDUP_AUTH_KEY]: this.#ackScope };
    this.#packet({ type: PacketType.CONNECT, nsp: this.nsp, data });
  }

  #onClose(reason: DisconnectReason, description?: unknown): void {
    this.#connectAttempt++;
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    this.#state.set(this.active && this.io.reconnection ? "reconnecting" : "disconnected");
    if (wasConnected) this.emitReserved("disconnect", reason, description);
    this.#clearAcks();
  }

  /** Acks of packets already sent can no longer arrive: error-first ones fail now, plain ones are dropped. */
  #clearAcks(): void {
    this.#retry?.onDisconnect();
    for (const [id, entry] of [...this.#acks]) {
      if (entry.queued === true || this.#sendBuffer.has(id)) continue;
      this.#takeAck(id);
      if (entry.withError) entry.fn.call(this, new ClientError("DISCONNECTED"));
    }
  }

  #onPacket(packet: SocketPacket): void {
    if (packet.nsp !== this.nsp) return;
    switch (packet.type) {
      case PacketType.CONNECT: {
        const data = packet.data as { sid?: unknown; pid?: unknown } | undefined;
        if (data !== undefined && typeof data.sid === "string") {
          this.#onConnect(data.sid, typeof data.pid === "string" ? data.pid : undefined);
        } else {
          this.emitReserved("connect_error", new ClientError("INCOMPATIBLE_SERVER"));
        }
        return;
      }
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        return this.#onEvent(packet);
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        return this.#onAck(packet);
      case PacketType.DISCONNECT:
        this.#destroy();
        return this.#onClose("io server disconnect");
      case PacketType.CONNECT_ERROR: {
        this.#destroy();
        const data = packet.data;
        const raw = typeof data === "string" ? data : (data as { message?: unknown } | undefined)?.message;
        const message = typeof raw === "string" ? raw : JSON.stringify(raw ?? "");
        const extra = typeof data === "object" && data !== null ? (data as { data?: unknown }).data : undefined;
        this.emitReserved("connect_error", new ClientError("CONNECT_REFUSED", { message, data: extra }));
        return;
      }
    }
  }

  #onEvent(packet: SocketPacket): void {
    const args = (packet.data as unknown[]).slice();
    if (packet.id !== undefined) args.push(this.#ack(packet.id));
    if (this.connected) this.#dispatch(args);
    else this.#receiveBuffer.push(args);
  }

  #dispatch(args: unknown[]): void {
    const event = String(args[0]);
    for (const listener of this.#anyListeners.slice()) listener(event, ...args.slice(1));
    emitLocal(this, event, args.slice(1));
    // With recovery on, the server appends the offset as the last string argument.
    if (this.#pid !== undefined && args.length > 1) {
      const last = args[args.length - 1];
      if (typeof last === "string") this.#lastOffset = last;
    }
  }

  #ack(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.#packet({ type: PacketType.ACK, nsp: this.nsp, id, data: args });
    };
  }

  #onAck(packet: SocketPacket): void {
    const id = packet.id;
    if (id === undefined) return;
    const entry = this.#acks.get(id);
    if (entry === undefined) return;
    if (entry.queued === true && !this.#retry!.onAck(id)) return;
    this.#takeAck(id);
    const args = (packet.data as unknown[]).slice();
    if (entry.withError) args.unshift(null);
    entry.fn.apply(this, args);
    if (entry.queued === true) this.#retry!.drain();
  }

  #onConnect(id: string, pid: string | undefined): void {
    this.id = id;
    this.recovered = pid !== undefined && this.#pid === pid;
    this.#pid = pid;
    this.connected = true;
    this.#state.set("connected");
    const received = this.#receiveBuffer;
    this.#receiveBuffer = [];
    for (const args of received) this.#dispatch(args);
    const { fresh, expired } = this.#sendBuffer.drain(this.io.platform.now());
    this.#settleDropped(expired, true);
    for (const packet of fresh) this.#write(packet);
    this.#retry?.drain();
    this.emitReserved("connect");
  }

  #destroy(): void {
    this.#state.set("disconnected");
    if (this.#subs === undefined) return;
    for (const unsubscribe of this.#subs) unsubscribe();
    this.#subs = undefined;
    this.io._destroy(this);
  }
}

function noop(): void {}

/**
 * A random 128-bit token as 32 hex digits (not a secret: it only names this socket's acks), from
 * the platform's `randomBytes`, or `Math.random` when the platform has none.
 */
function randomToken(platform: Platform): string {
  const bytes = platform.randomBytes?.(16) ?? Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
  let token = "";
  for (const byte of bytes) token += (byte | 256).toString(16).slice(1);
  return token;
}
