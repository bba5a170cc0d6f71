/**
 * A client's presence in one namespace (`socket` in `io.on("connection", socket => …)`),
 * with socket.io 4.x's API: events and acks both ways, rooms, broadcasts, per-socket
 * middleware, catch-all listeners, flags and connection state recovery.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- ack callbacks and listener arguments are arbitrary by design */
import { ACK_DEDUP_AUTH_KEY, PacketType, type SocketPacket } from "@omnio/protocol";
import { readAckScope } from "./ack-cache.js";
import type { AdapterSocket, EncodedBroadcast, Room, SocketId } from "../adapter/types.js";
import type { EngineSocket } from "../engine/socket.js";
import { BroadcastOperator } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import { parseQuery } from "../engine/query.js";
import { copyAuth, type Handshake } from "./handshake.js";
import type { Namespace } from "./namespace.js";
import {
  RECOVERABLE_DISCONNECT_REASONS,
  SOCKET_RESERVED_EVENTS,
  timeoutError,
  type DisconnectReason,
} from "./reasons.js";
import { StrictEventEmitter } from "./strict-emitter.js";
import type {
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
} from "./typed-events.js";

/** Events a socket raises itself. */
export interface SocketReservedEvents {
  disconnect: (reason: DisconnectReason, description?: any) => void;
  disconnecting: (reason: DisconnectReason, description?: any) => void;
  error: (err: Error) => void;
}

/** Flags of the next emit. */
export interface SocketFlags {
  volatile?: boolean;
  compress?: boolean;
  timeout?: number;
}

type AnyListener = (event: string, ...args: any[]) => void;
type SocketMiddleware = (event: [string, ...any[]], next: (err?: Error) => void) => void;

/** A session restored by connection state recovery. */
export interface PreviousSession {
  sid: string;
  pid: string;
  rooms: Room[];
  data: unknown;
  missedPackets: unknown[][];
}

export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
>
  extends StrictEventEmitter<ListenEvents, EmitEvents, SocketReservedEvents>
  implements AdapterSocket
{
  /** Socket id: random, distinct from the Engine.IO session id; kept across a recovery. */
  readonly id: SocketId;
  readonly handshake: Handshake;
  /** Whether connection state recovery restored this socket's id, rooms and data. */
  readonly recovered: boolean = false;
  /** Arbitrary data, shared with `fetchSockets()` and kept by connection state recovery. */
  data: SocketData = {} as SocketData;
  connected = false;
  /** Private session id for connection state recovery (sent only to this client). */
  readonly pid: string | undefined;
  #flags: SocketFlags = {};
  #acks: Map<number, (...args: any[]) => void> | undefined;
  #fns: SocketMiddleware[] | undefined;
  #anyListeners: AnyListener[] | undefined;
  #anyOutgoingListeners: AnyListener[] | undefined;
  /** The client's ack scope (omnio clients with `retries`): resends are deduplicated by it. */
  readonly #ackScope: string | undefined;
  /** Set once the socket left its namespace (or was refused): `join` is a no-op from then on. */
  #left = false;

  constructor(
    readonly nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    readonly client: Client,
    auth: unknown,
    previous?: PreviousSession,
  ) {
    super();
    const server = nsp.server;
    if (previous) {
      this.id = previous.sid;
      this.pid = previous.pid;
      this.data = previous.data as SocketData;
      this.recovered = true;
    } else {
      // Protocol v4 (2.x clients) derives the id from the engine id, as socket.io 4.x does: the
      // 2.x client computes its `socket.id` the same way (`<nsp>#<engine id>` off the main nsp).
      if (client.conn.protocol === 3) this.id = nsp.name === "/" ? client.conn.id : `${nsp.name}#${client.conn.id}`;
      else this.id = server._generateSocketId();
      this.pid = server.opts.connectionStateRecovery ? server._generateSocketId() : undefined;
    }
    this.handshake = this.#buildHandshake(auth);
    this.#ackScope = server._ackCache !== undefined ? readAckScope(auth, ACK_DEDUP_AUTH_KEY) : undefined;
    // A client may send an event named "error" (CVE-2024-38355): this emitter never throws
    // for an `error` event without listeners, so no placeholder listener is needed.
    if (previous) {
      void this.join(previous.rooms);
      for (const data of previous.missedPackets) this.#packet({ type: PacketType.EVENT, nsp: this.nsp.name, data });
    }
  }

  #buildHandshake(auth: unknown): Handshake {
    const conn = this.client.conn;
    const ext = conn.details;
    return {
      headers: ext.headers,
      time: new Date().toString(),
      address: conn.remoteAddress,
      xdomain: ext.headers["origin"] !== undefined,
      secure: ext.secure,
      issued: Date.now(),
      url: ext.url,
      query: parseQuery(ext.url),
      auth: copyAuth(auth),
    };
  }

  /** The Engine.IO session carrying this socket. */
  get conn(): EngineSocket {
    return this.client.conn;
  }
  /** The first HTTP request of the connection. */
  get request(): any {
    return this.client.request;
  }
  get disconnected(): boolean {
    return !this.connected;
  }
  get adapter(): Namespace["adapter"] {
    return this.nsp.adapter;
  }
  /** Rooms this socket is in (always including its own id). */
  get rooms(): Set<Room> {
    return this.nsp.adapter.socketRooms(this.id) ?? new Set();
  }

  /**
   * Sends an event to this client. A function as last argument receives the client's ack.
   *
   * @example
   * socket.emit("hello", "world", (answer) => console.log(answer));
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    if (SOCKET_RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
    const data: unknown[] = [ev, ...args];
    const flags = this.#flags;
    this.#flags = {};
    const packet: SocketPacket = { type: PacketType.EVENT, nsp: this.nsp.name, data };
    if (typeof data[data.length - 1] === "function") {
      const id = this.nsp.nextAckId();
      this.#registerAckWithTimeout(id, data.pop() as (...a: any[]) => void, flags.timeout);
      packet.id = id;
    }
    const csr = this.nsp.server.opts.connectionStateRecovery;
    if (csr && packet.id === undefined && !flags.volatile) {
      // Through the adapter, so that the packet gets an offset and is kept for recovery.
      this.nsp.adapter.broadcast(packet, { rooms: new Set([this.id]), except: new Set(), flags });
      return true;
    }
    this.notifyOutgoingListeners(packet);
    this.#packet(packet, flags);
    return true;
  }

  #registerAckWithTimeout(id: number, ack: (...args: any[]) => void, timeout: number | undefined): void {
    const acks = (this.#acks ??= new Map());
    if (timeout === undefined) {
      acks.set(id, ack);
      return;
    }
    const timer = setTimeout(() => {
      acks.delete(id);
      ack.call(this, timeoutError());
    }, timeout);
    acks.set(id, (...args: any[]) => {
      clearTimeout(timer);
      ack.apply(this, [null, ...args]);
    });
  }

  /**
   * Emits and resolves with the client's ack (rejects on `timeout()` expiry).
   *
   * @example
   * const answer = await socket.timeout(1000).emitWithAck("question");
   */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    const withErr = this.#flags.timeout !== undefined;
    return new Promise((resolve, reject) => {
      const ack = withErr
        ? (err: Error | null, value: any) => (err ? reject(err) : resolve(value))
        : (value: any) => resolve(value);
      (this.emit as (ev: string, ...a: unknown[]) => boolean)(ev, ...args, ack);
    });
  }

  /** `emit("message", ...args)`. */
  send(...args: EventParams<EmitEvents, "message">): this {
    (this.emit as (ev: string, ...a: unknown[]) => boolean)("message", ...args);
    return this;
  }
  write(...args: EventParams<EmitEvents, "message">): this {
    return this.send(...args);
  }

  /** The next emit's ack gets `(err, ...args)`, with an error after `timeout` ms. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData> {
    this.#flags.timeout = timeout;
    return this;
  }
  /** The next emit may be dropped if the client cannot take it now. */
  get volatile(): this {
    this.#flags.volatile = true;
    return this;
  }
  compress(compress: boolean): this {
    this.#flags.compress = compress;
    return this;
  }

  /** Broadcast to every socket of the namespace except this one. */
  get broadcast(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator();
  }
  /** Only this server (no cluster). */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().local;
  }
  /** Broadcast to rooms, excluding this socket. */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().to(room);
  }
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().except(room);
  }
  #operator(): BroadcastOperator<EmitEvents, SocketData> {
    const flags = this.#flags;
    this.#flags = {};
    return new BroadcastOperator(this.nsp.adapter, new Set(), new Set([this.id]), flags);
  }

  join(rooms: Room | Room[]): Promise<void> | void {
    if (this.#left) return; // e.g. an async handler finishing after the client left
    return this.nsp.adapter.addAll(this.id, new Set(Array.isArray(rooms) ? rooms : [rooms]));
  }
  leave(room: Room): Promise<void> | void {
    return this.nsp.adapter.del(this.id, room);
  }

  /**
   * Disconnects from this namespace (`server namespace disconnect`); with `close`, leaves
   * every namespace and closes the underlying connection.
   */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) this.client._disconnectAll();
    else {
      this.#packet({ type: PacketType.DISCONNECT, nsp: this.nsp.name });
      this._onClose("server namespace disconnect");
    }
    return this;
  }

  /** Per-socket middleware for incoming events; `next(err)` raises `error` on the socket. */
  use(fn: SocketMiddleware): this {
    (this.#fns ??= []).push(fn);
    return this;
  }

  onAny(listener: AnyListener): this {
    (this.#anyListeners ??= []).push(listener);
    return this;
  }
  prependAny(listener: AnyListener): this {
    (this.#anyListeners ??= []).unshift(listener);
    return this;
  }
  offAny(listener?: AnyListener): this {
    this.#anyListeners = removeFrom(this.#anyListeners, listener);
    return this;
  }
  listenersAny(): AnyListener[] {
    return this.#anyListeners?.slice() ?? [];
  }
  onAnyOutgoing(listener: AnyListener): this {
    (this.#anyOutgoingListeners ??= []).push(listener);
    return this;
  }
  prependAnyOutgoing(listener: AnyListener): this {
    (this.#anyOutgoingListeners ??= []).unshift(listener);
    return this;
  }
  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners = removeFrom(this.#anyOutgoingListeners, listener);
    return this;
  }
  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOutgoingListeners?.slice() ?? [];
  }

  /** Runs `onAnyOutgoing` listeners (also for broadcasts; acks excluded). */
  notifyOutgoingListeners(packet: SocketPacket): void {
    const listeners = this.#anyOutgoingListeners;
    if (!listeners || listeners.length === 0) return;
    const args = packet.data as [string, ...unknown[]];
    for (const l of listeners.slice()) l.apply(this, args);
  }

  /** Writes frames already encoded by a broadcast. */
  writeEncoded(encoded: EncodedBroadcast, volatile: boolean, compress: boolean): void {
    this.client.writeEncoded(encoded, volatile, compress);
  }

  /** Registers the ack of a broadcast (same id for every recipient). */
  registerAck(id: number, ack: (...args: unknown[]) => void): void {
    (this.#acks ??= new Map()).set(id, ack);
  }

  #packet(packet: SocketPacket, flags: SocketFlags = {}): void {
    this.client.writePacket(packet, { volatile: !!flags.volatile, compress: flags.compress !== false });
  }

  /** Called by the namespace once the socket may talk. */
  _onConnect(): void {
    this.connected = true;
    void this.join(this.id);
    if (this.conn.protocol === 3) this.#packet({ type: PacketType.CONNECT, nsp: this.nsp.name });
    else {
      const data: Record<string, string> = { sid: this.id };
      if (this.pid !== undefined) data["pid"] = this.pid;
      this.#packet({ type: PacketType.CONNECT, nsp: this.nsp.name, data });
    }
  }

  /** A packet for this socket, from the client. */
  _onPacket(packet: SocketPacket): void {
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.#onEvent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        this.#onAck(packet);
        break;
      case PacketType.DISCONNECT:
        this._onClose("client namespace disconnect");
        break;
    }
  }

  #onEvent(packet: SocketPacket): void {
    const args = packet.data as [string, ...unknown[]];
    let dedupKey: string | undefined;
    if (packet.id !== undefined) {
      const cache = this.nsp.server._ackCache;
      if (this.#ackScope !== undefined && cache !== undefined) {
        // A resend of a packet already handled is answered from the cache (see ack-cache.ts).
        const id = packet.id;
        dedupKey = `${this.nsp.name}\n${this.#ackScope}\n${id}`;
        if (!cache.begin(dedupKey, (answer) => this.#sendAck(id, answer))) return;
        args.push(this.#cachedAck(dedupKey, id));
      } else args.push(this.#ack(packet.id));
    }
    const any = this.#anyListeners;
    if (any && any.length > 0) for (const l of any.slice()) l.apply(this, args);
    this.#runMiddlewares(args, 0, dedupKey);
  }

  #dispatch(args: [string, ...unknown[]]): void {
    if (!this.connected) return;
    // Event names may be numbers on the wire; listeners are keyed by string, as in Node.
    const [ev, ...rest] = args;
    this.emitUntyped(String(ev), ...rest);
  }

  #runMiddlewares(args: [string, ...unknown[]], index: number, dedupKey?: string): void {
    const fn = this.#fns?.[index];
    if (!fn) {
      this.#dispatch(args);
      return;
    }
    let called = false;
    fn(args, (err?: Error) => {
      if (called) return;
      called = true;
      if (err) {
        // Refused: a resend may try again (the handler never ran).
        if (dedupKey !== undefined) this.nsp.server._ackCache?.abandon(dedupKey);
        this._onError(err);
        return;
      }
      this.#runMiddlewares(args, index + 1, dedupKey);
    });
  }

  /** The ack function handed to a listener: answers once; `onAnswer` sees the answer after it is sent. */
  #ack(id: number, onAnswer?: (args: unknown[]) => void): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.#sendAck(id, args);
      onAnswer?.(args);
    };
  }

  #sendAck(id: number, args: unknown[]): void {
    this.#packet({ type: PacketType.ACK, nsp: this.nsp.name, id, data: args });
  }

  /** The ack function of a deduplicated packet: sends the answer, then stores it for resends. */
  #cachedAck(key: string, id: number): (...args: unknown[]) => void {
    return this.#ack(id, (args) => this.nsp.server._ackCache?.settle(key, args));
  }

  #onAck(packet: SocketPacket): void {
    const ack = this.#acks?.get(packet.id!);
    if (typeof ack !== "function") return;
    this.#acks!.delete(packet.id!);
    ack.apply(this, packet.data as unknown[]);
  }

  /** Raises `error` on the socket (decode errors, socket middleware errors). */
  _onError(err: Error): void {
    this.emitReserved("error", err);
  }

  /** Leaves every room for good (also for a socket refused by a middleware), as socket.io does. */
  _cleanup(): void {
    this.#left = true;
    this.nsp.adapter.delAll(this.id);
  }

  /** Leaves the namespace: `disconnecting` (rooms still there), then `disconnect`. */
  _onClose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    this.emitReserved("disconnecting", reason, description);
    if (this.pid !== undefined && RECOVERABLE_DISCONNECT_REASONS.has(reason)) {
      void this.nsp.adapter.persistSession({ sid: this.id, pid: this.pid, rooms: [...this.rooms], data: this.data });
    }
    this._cleanup();
    this.nsp._remove(this);
    this.client._remove(this);
    this.connected = false;
    this.emitReserved("disconnect", reason, description);
  }
}

function removeFrom(list: AnyListener[] | undefined, listener: AnyListener | undefined): AnyListener[] | undefined {
  if (!list || !listener) return undefined;
  const i = list.indexOf(listener);
  if (i !== -1) list.splice(i, 1);
  return list;
}
