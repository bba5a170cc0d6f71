/**
 * The Socket.IO client socket of one namespace (protocol doc §1.9, §2.3), with
 * socket.io-client 4.x's API: emit with acks, `timeout`, `volatile`, `emitWithAck`, catch-all
 * listeners, the send buffer (emits while disconnected, flushed in order on CONNECT), the
 * receive buffer (events before the CONNECT reply) and connection state recovery (`pid` and
 * the last offset sent back in CONNECT, `recovered`). Beyond socket.io-client: the send buffer
 * is bounded (`send-buffer.ts`), `retries` resends with a stable ack id that an omnio server
 * deduplicates, and the connection `state` is observable (`state.ts`).
 *
 * `retries` (at-least-once delivery): the queue sends one packet at a time, in order; the packet
 * in flight is resent after an ack timeout or a lost connection until it is acknowledged or has
 * been sent `retries + 1` times. Unlike socket.io-client, a resend keeps the packet's ack id, so
 * a late ack of an earlier attempt still settles it, and an omnio server recognises the retry
 * (same ack scope and id) and answers it from its ack cache instead of running the handler again.
 *
 * Every emit that waits for something (a place in the buffer, an ack, or both) is one `Pending`
 * record: the ack table, the send buffer / retries queue and the timers all hold that record.
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
import { ClientError, checkNumber, type DisconnectReason } from "../errors.js";
import type { Platform } from "../platform/contract.js";
import type { Manager, ManagerEvents } from "./manager.js";
import type { SocketOptions } from "./options.js";
import {
  expire,
  pushLimited,
  resolveSendBufferOptions,
  type Dropped,
  type OutPacket,
  type Pending,
  type SendBufferOptions,
} from "./send-buffer.js";
import type { SocketState, StateListener } from "./state.js";
import { TypedEmitter } from "./typed-emitter.js";
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

/** The flags of the next emit (`volatile`, `timeout()`, `compress()`). */
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
  /** Follows the Manager's events (see {@link active}). */
  #active = false;
  #ids = 0;
  /** Emits waiting for their acknowledgement, by ack id. */
  readonly #acks = new Map<number, Pending>();
  #flags: Flags = {};
  readonly #limits: Required<SendBufferOptions>;
  /**
   * The send buffer; with `retries`, the retries queue (every non-volatile emit, in order; the
   * head is the packet in flight). Volatile emits are never buffered, so one list serves both.
   */
  #buffer: Pending[] = [];
  /** The `retries` option: resends of a queued packet after its first send (0: no queue). */
  readonly #retries: number;
  /** Sends of the queue's head so far. */
  #tries = 0;
  /** The queue's head was sent and its ack is awaited. */
  #inFlight = false;
  /** Random token naming this socket's acks across reconnections (sent when `retries` is on). */
  readonly #ackScope: string | undefined;
  #state: SocketState = "disconnected";
  // Listener lists are replaced, never changed in place, so a dispatch can walk them without a copy.
  #stateListeners: StateListener[] = [];
  #anyListeners: AnyListener[] = [];
  #anyOutgoingListeners: AnyListener[] = [];
  #receiveBuffer: unknown[][] = [];
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
    this.#limits = resolveSendBufferOptions(options.sendBuffer);
    const retries = (this.#retries = options.retries ?? 0);
    checkNumber("retries", retries);
    if (retries > 0) this.#ackScope = randomToken(io.platform);
    if (io.autoConnect) this.connect();
  }

  get disconnected(): boolean {
    return !this.connected;
  }
  /** True while the socket follows its Manager and will reconnect; false after `disconnect()`, a server disconnect or a refused CONNECT. */
  get active(): boolean {
    return this.#active;
  }

  /**
   * The connection state: `disconnected → connecting → connected → reconnecting → connected …`
   * (see {@link SocketState}). Listen with {@link onStateChange}.
   */
  get state(): SocketState {
    return this.#state;
  }
  /**
   * Calls `listener(state, previous)` after each state change; returns a function that removes
   * it. (Not a `"state"` event: that name may be a user event sent by the server.)
   *
   * @example
   * const stop = socket.onStateChange((state, previous) => badge.textContent = state);
   */
  onStateChange(listener: StateListener): () => void {
    this.#stateListeners = [...this.#stateListeners, listener];
    return () => {
      this.#stateListeners = this.#stateListeners.filter((l) => l !== listener);
    };
  }

  /** Connects (opening the Manager's connection if needed). */
  connect(): this {
    if (this.connected) return this;
    const io = this.io;
    this.#setState(io.reconnecting ? "reconnecting" : "connecting");
    this.#active = true;
    if (!io.reconnecting) io.open();
    if (io.readyState === "open") this.#onOpen();
    return this;
  }
  /** Alias of `connect`. */
  open(): this {
    return this.connect();
  }

  /** Leaves the namespace (`disconnect` "io client disconnect"); the connection closes when no socket is left. */
  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.io._packet({ type: PacketType.DISCONNECT, nsp: this.nsp });
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
    const withError = (this.#flags.timeout ?? this.#ackTimeout) !== undefined || this.#retries > 0;
    return new Promise<R>((resolve, reject) => {
      this.#emitEvent([
        ev,
        ...args,
        (arg1: unknown, arg2: unknown): void => {
          // A ClientError never comes from the wire: it is a local failure (buffer overflow, expiry).
          if (!withError) return arg1 instanceof ClientError ? reject(arg1) : resolve(arg1 as R);
          if (arg1 != null) reject(arg1 instanceof Error ? arg1 : new Error(JSON.stringify(arg1)));
          else resolve(arg2 as R);
        },
      ]);
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
    this.#anyListeners = [...this.#anyListeners, listener];
    return this;
  }
  prependAny(listener: AnyListener): this {
    this.#anyListeners = [listener, ...this.#anyListeners];
    return this;
  }
  offAny(listener?: AnyListener): this {
    this.#anyListeners = listener === undefined ? [] : this.#anyListeners.filter((l) => l !== listener);
    return this;
  }
  listenersAny(): AnyListener[] {
    return [...this.#anyListeners];
  }
  /** Catch-all listener for outgoing events (called when the packet is actually written). */
  onAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners = [...this.#anyOutgoingListeners, listener];
    return this;
  }
  prependAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners = [listener, ...this.#anyOutgoingListeners];
    return this;
  }
  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners = listener === undefined ? [] : this.#anyOutgoingListeners.filter((l) => l !== listener);
    return this;
  }
  listenersAnyOutgoing(): AnyListener[] {
    return [...this.#anyOutgoingListeners];
  }

  /**
   * @internal The Manager's events, handed to each active socket before the Manager's own
   * listeners run (socket.io-client's sockets subscribe to them).
   */
  _onManager(ev: EventNames<ManagerEvents>, arg?: any, description?: unknown): void {
    if (ev === "open") this.#onOpen();
    else if (ev === "packet") this.#onPacket(arg as SocketPacket);
    else if (ev === "close") this.#onClose(arg as DisconnectReason, description);
    else if (ev === "reconnect_failed") this.#setState("disconnected");
    else if (ev === "error" && !this.connected) {
      this.#setState(this.io.reconnection ? "reconnecting" : "disconnected");
      this.emitReserved("connect_error", arg as Error);
    }
  }

  #setState(next: SocketState): void {
    const previous = this.#state;
    if (next === previous) return;
    this.#state = next;
    for (const listener of this.#stateListeners) listener(next, previous);
  }

  // --- sending ---

  #emitEvent(args: unknown[]): this {
    const { volatile, timeout = this.#ackTimeout, compress } = this.#flags;
    this.#flags = {};
    // With `retries`, every non-volatile emit joins the queue and carries an ack id (the server
    // must ack), stable across resends.
    const queued = this.#retries > 0 && volatile !== true;
    const packet: OutPacket = { type: PacketType.EVENT, nsp: this.nsp, data: args, compress };
    const entry: Pending = { packet, withError: queued || timeout !== undefined, attemptTimeout: timeout };
    const fn = (typeof args[args.length - 1] === "function" ? args.pop() : queued ? noop : undefined) as Pending["fn"];
    if (fn !== undefined) {
      entry.fn = fn;
      this.#acks.set((packet.id = this.#ids++), entry);
      if (!queued && timeout !== undefined) {
        const timer = (entry.timer = this.io.platform.setTimeout(() => {
          // Settled meanwhile (`#take` forgets the timer); a late timer does nothing.
          if (entry.timer !== timer) return;
          // A timed-out emit still waiting in the send buffer is never sent later (sio#4318).
          this.#take(entry);
          fn.call(this, new ClientError("ACK_TIMEOUT"));
        }, timeout));
      }
    }
    if (queued) {
      this.#push(entry, this.#inFlight);
      this.#drainQueue();
    } else if (this.#canSend() && (volatile !== true || this.io.engine!.writable)) this.#write(packet);
    // A volatile emit is dropped when the connection is not writable at that moment.
    else if (volatile !== true) this.#push(entry, false);
    return this;
  }

  /** Buffers `entry` under the limits and settles what that dropped; an `"error"` overflow throws, the emit forgotten. */
  #push(entry: Pending, keepFirst: boolean): void {
    const dropped: Dropped = [];
    try {
      pushLimited(this.#buffer, entry, this.#limits, this.io.platform.now(), keepFirst, dropped);
    } catch (error) {
      this.#take(entry);
      throw error;
    }
    this.#settle(dropped);
  }

  /** Drops the entries older than `maxAge` (all but the first with `keepFirst`). */
  #expire(keepFirst: boolean): void {
    const dropped: Dropped = [];
    expire(this.#buffer, this.#limits.maxAge, this.io.platform.now(), keepFirst, dropped);
    this.#settle(dropped);
  }

  /** Entries that left the buffer unsent: each ack callback gets its error. */
  #settle(dropped: Dropped): void {
    for (const [entry, code] of dropped) {
      this.#take(entry);
      entry.fn?.call(this, new ClientError(code));
    }
  }

  /** Forgets `entry` everywhere: the ack table, its timer, the buffer. */
  #take(entry: Pending): void {
    this.#acks.delete(entry.packet.id!);
    this.#stopTimer(entry);
    const i = this.#buffer.indexOf(entry);
    if (i !== -1) this.#buffer.splice(i, 1);
  }

  #stopTimer(entry: Pending): void {
    if (entry.timer !== undefined) this.io.platform.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  /** With `retries`: sends the queue's head if the socket can send and nothing is in flight. */
  #drainQueue(): void {
    if (this.#inFlight || !this.#canSend()) return;
    this.#expire(this.#tries > 0);
    const entry = this.#buffer[0];
    if (entry === undefined) return;
    this.#inFlight = true;
    this.#tries++;
    if (entry.attemptTimeout !== undefined) {
      entry.timer = this.io.platform.setTimeout(() => {
        entry.timer = undefined;
        if (this.#buffer[0] !== entry) return;
        this.#inFlight = false;
        if (this.#tries > this.#retries) this.#giveUp("ACK_TIMEOUT");
        else this.#drainQueue();
      }, entry.attemptTimeout);
    }
    this.#write(entry.packet);
  }

  /** The queue's head was sent `retries + 1` times without an ack: it fails, the next one goes. */
  #giveUp(code: "ACK_TIMEOUT" | "DISCONNECTED"): void {
    this.#tries = 0;
    this.#settle([[this.#buffer[0]!, code]]);
    this.#drainQueue();
  }

  /** Connected, and the link is not presumed dead (no ping within the deadline). */
  #canSend(): boolean {
    const engine = this.io.engine;
    return this.connected && engine !== undefined && !engine.hasPingExpired();
  }

  /** Writes an event packet, after the `onAnyOutgoing` listeners. */
  #write(packet: OutPacket): void {
    for (const listener of this.#anyOutgoingListeners) listener(...(packet.data as [string, ...unknown[]]));
    this.io._packet(packet);
  }

  // --- Manager events ---

  /** Sends CONNECT with the `auth` payload (from the callback, if still for this attempt). */
  #onOpen(): void {
    const attempt = ++this.#connectAttempt;
    const send = (auth: Record<string, unknown> | undefined): void => {
      if (attempt !== this.#connectAttempt || !this.#active || this.io.readyState !== "open") return;
      // Connection state recovery: the server restores the session from `pid` and replays what
      // was missed after `offset` (protocol doc §1.6, §1.9).
      let data = this.#pid !== undefined ? { pid: this.#pid, offset: this.#lastOffset, ...auth } : auth;
      // With `retries`, the ack scope lets an omnio server answer a resent packet from its ack cache.
      if (this.#ackScope !== undefined) data = { ...data, [ACK_DEDUP_AUTH_KEY]: this.#ackScope };
      this.io._packet({ type: PacketType.CONNECT, nsp: this.nsp, data });
    };
    const auth = this.auth;
    if (typeof auth === "function") auth(send);
    else send(auth);
  }

  #onClose(reason: DisconnectReason, description?: unknown): void {
    this.#connectAttempt++;
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    this.#setState(this.#active && this.io.reconnection ? "reconnecting" : "disconnected");
    if (wasConnected) this.emitReserved("disconnect", reason, description);
    // The packet in flight is resent at the next connect (if tries remain).
    if (this.#inFlight) {
      this.#inFlight = false;
      this.#stopTimer(this.#buffer[0]!);
      if (this.#tries > this.#retries) this.#giveUp("DISCONNECTED");
    }
    // Acks of packets already sent can no longer arrive: error-first ones fail now, plain ones
    // are dropped. Packets still buffered keep theirs.
    for (const entry of [...this.#acks.values()]) {
      if (this.#buffer.includes(entry)) continue;
      this.#take(entry);
      if (entry.withError) entry.fn!.call(this, new ClientError("DISCONNECTED"));
    }
  }

  #onPacket(packet: SocketPacket): void {
    if (packet.nsp !== this.nsp) return;
    const data = packet.data as any;
    switch (packet.type) {
      case PacketType.CONNECT:
        if (typeof data?.sid === "string")
          this.#onConnect(data.sid, typeof data.pid === "string" ? data.pid : undefined);
        else this.emitReserved("connect_error", new ClientError("INCOMPATIBLE_SERVER"));
        return;
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT: {
        const args = [...(data as unknown[])];
        if (packet.id !== undefined) args.push(this.#ack(packet.id));
        if (this.connected) this.#dispatch(args);
        else this.#receiveBuffer.push(args);
        return;
      }
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        return this.#onAck(packet.id, data as unknown[]);
      case PacketType.DISCONNECT:
        this.#destroy();
        return this.#onClose("io server disconnect");
      case PacketType.CONNECT_ERROR: {
        this.#destroy();
        const raw = typeof data === "string" ? data : data?.message;
        const message = typeof raw === "string" ? raw : JSON.stringify(raw ?? "");
        this.emitReserved("connect_error", new ClientError("CONNECT_REFUSED", { message, data: data?.data }));
      }
    }
  }

  #dispatch([event, ...args]: unknown[]): void {
    const name = String(event);
    for (const listener of this.#anyListeners) listener(name, ...args);
    // A user event from the server: its listeners are typed by `ListenEvents`, not checked here.
    (this.emitReserved as (ev: string, ...args: unknown[]) => boolean)(name, ...args);
    // With recovery on, the server appends the offset as the last string argument.
    const last = args[args.length - 1];
    if (this.#pid !== undefined && typeof last === "string") this.#lastOffset = last;
  }

  #ack(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.io._packet({ type: PacketType.ACK, nsp: this.nsp, id, data: args });
    };
  }

  #onAck(id: number | undefined, data: unknown[]): void {
    const entry = this.#acks.get(id!);
    if (entry === undefined) return;
    // With `retries`, only the head of the queue is in flight: an ack of another queued id is
    // not for a packet the server saw.
    const queued = this.#retries > 0 && this.#buffer.includes(entry);
    if (queued) {
      if (this.#buffer[0] !== entry) return;
      this.#inFlight = false;
      this.#tries = 0;
    }
    this.#take(entry);
    entry.fn!.apply(this, entry.withError ? [null, ...data] : data);
    if (queued) this.#drainQueue();
  }

  #onConnect(id: string, pid: string | undefined): void {
    this.id = id;
    this.recovered = pid !== undefined && this.#pid === pid;
    this.#pid = pid;
    this.connected = true;
    this.#setState("connected");
    const received = this.#receiveBuffer;
    this.#receiveBuffer = [];
    for (const args of received) this.#dispatch(args);
    if (this.#retries > 0) this.#drainQueue();
    else {
      this.#expire(false);
      const fresh = this.#buffer;
      this.#buffer = [];
      for (const entry of fresh) this.#write(entry.packet);
    }
    this.emitReserved("connect");
  }

  #destroy(): void {
    this.#setState("disconnected");
    if (!this.#active) return;
    this.#active = false;
    this.io._destroy();
  }
}

function noop(): void {}

/**
 * A random 128-bit token as 32 hex digits (not a secret: it only names this socket's acks), from
 * the platform's `randomBytes`, or `Math.random` when the platform has none.
 */
function randomToken(platform: Platform): string {
  const bytes = platform.randomBytes?.(16);
  let token = "";
  for (let i = 0; i < 16; i++) token += ((bytes?.[i] ?? Math.random() * 256) | 256).toString(16).slice(1);
  return token;
}
