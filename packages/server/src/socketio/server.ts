/**
 * The runtime-neutral Socket.IO server: namespaces (static, regex and function), the
 * main-namespace shortcuts (`io.emit`, `io.to`, `io.use`, …) and the binding to an
 * Engine.IO server. Runtime entries (Node, …) add `attach`/`listen`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- socket data and listener arguments are arbitrary by design */
import { encodePacket, type SocketPacket } from "@omnio/protocol";
import { Adapter } from "../adapter/in-memory-adapter.js";
import { SessionAwareAdapter } from "../adapter/session-aware-adapter.js";
import type { AdapterNamespace, Room } from "../adapter/types.js";
import type { EngineRuntime } from "../engine/contracts.js";
import { DeadlineQueue, systemClock } from "../engine/deadline-queue.js";
import type { EngineServer } from "../engine/server.js";
import { randomId } from "../engine/session-id.js";
import type { BroadcastOperator, RemoteSocket } from "./broadcast-operator.js";
import { Client } from "./client.js";
import { Namespace, type NamespaceMiddleware } from "./namespace.js";
import { AckCache } from "./ack-cache.js";
import { customEncoder, type EncodedFrames } from "./custom-parser.js";
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from "./options.js";
import { ParentNamespace } from "./parent-namespace.js";
import type { Socket } from "./socket.js";
import type {
  AllButLast,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  RemoveAcknowledgements,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "./typed-events.js";

/** Decides whether a dynamic namespace may be created: `next(err, allowed)`. */
export type ParentNspNameMatchFn = (
  name: string,
  auth: Record<string, any>,
  next: (err: Error | null, success: boolean) => void,
) => void;

export interface ServerReservedEvents<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> {
  connect: (socket: Socket<L, E, S, D>) => void;
  connection: (socket: Socket<L, E, S, D>) => void;
  new_namespace: (namespace: Namespace<L, E, S, D>) => void;
}

export class ServerCore<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> {
  /** The main namespace `/`. */
  readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** Namespaces by name. */
  readonly _nsps = new Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  readonly #parentNsps = new Map<
    ParentNspNameMatchFn,
    ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  readonly #parentFromRegExp = new Map<
    RegExp,
    ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  #parentCount = 0;
  readonly opts: ResolvedServerOptions;
  /** The options as given, also handed to the engine. */
  readonly _rawOptions: ServerOptions;
  /** The Engine.IO server, once bound. */
  engine!: EngineServer;
  /** Runtime primitives (set by the runtime entry). */
  runtime: EngineRuntime;
  /** Shared deadline for connections that must join a namespace. */
  readonly connectTimeoutQueue: DeadlineQueue;
  /** Retry deduplication cache (`ackDedup` option); undefined when turned off. */
  readonly _ackCache: AckCache | undefined;
  /** Encodes one packet into frames (built-in: text first, then binary attachments). */
  readonly encoder: (packet: SocketPacket) => EncodedFrames;

  constructor(options: ServerOptions, runtime: EngineRuntime) {
    this._rawOptions = { ...options, path: options.path ?? "/socket.io" };
    this.opts = resolveServerOptions(options);
    this.runtime = runtime;
    this.connectTimeoutQueue = new DeadlineQueue(this.opts.connectTimeout, systemClock);
    const parser = this.opts.parser;
    this.encoder = parser ? customEncoder(parser) : (packet) => encodePacket(packet);
    this._ackCache = this.opts.ackDedup === false ? undefined : new AckCache(this.opts.ackDedup);
    this.sockets = this.of("/");
  }

  /** Binds an Engine.IO server: each of its connections becomes a Socket.IO client. */
  bind(engine: EngineServer): this {
    this.engine = engine;
    engine.on("connection", (conn) => {
      new Client(this as any, conn);
    });
    return this;
  }

  /** A crypto-random socket id (also used for CSR private ids). */
  _generateSocketId(): string {
    return randomId(this.runtime.randomBytes);
  }

  /** Creates the adapter of a namespace. */
  _createAdapter(nsp: AdapterNamespace): Adapter {
    const Ctor = this.opts.adapter;
    if (Ctor) {
      return typeof (Ctor as { prototype?: unknown }).prototype === "object"
        ? new (Ctor as new (n: AdapterNamespace) => Adapter)(nsp)
        : (Ctor as (n: AdapterNamespace) => Adapter)(nsp);
    }
    const csr = this.opts.connectionStateRecovery;
    return csr ? new SessionAwareAdapter(nsp, csr.maxDisconnectionDuration) : new Adapter(nsp);
  }

  /**
   * Returns (creating if needed) a namespace. A RegExp or function creates a parent
   * namespace whose children are created on demand.
   *
   * @example
   * io.of(/^\/room-\d+$/).on("connection", (socket) => {});
   */
  of(
    name: string | RegExp | ParentNspNameMatchFn,
    fn?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === "function" || name instanceof RegExp) {
      const parent = new ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(
        this,
        `/_${this.#parentCount++}`,
      );
      if (typeof name === "function") this.#parentNsps.set(name, parent);
      else {
        const regex = name;
        this.#parentNsps.set((nsp, _auth, next) => next(null, regex.test(nsp)), parent);
        this.#parentFromRegExp.set(regex, parent);
      }
      if (fn) parent.on("connect", fn);
      return parent;
    }
    if (!name.startsWith("/")) name = "/" + name;
    let nsp = this._nsps.get(name);
    if (!nsp) {
      for (const [regex, parent] of this.#parentFromRegExp) {
        if (regex.test(name)) {
          nsp = parent.createChild(name);
          if (fn) nsp.on("connect", fn);
          return nsp;
        }
      }
      nsp = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this, name);
      this._nsps.set(name, nsp);
      if (name !== "/") this.sockets._notifyNewNamespace(nsp);
    }
    if (fn) nsp.on("connect", fn);
    return nsp;
  }

  /** Finds a parent namespace that accepts `name`; calls back with the child or undefined. */
  _checkNamespace(name: string, auth: unknown, done: (nsp: Namespace<any, any, any, any> | undefined) => void): void {
    const entries = [...this.#parentNsps.entries()];
    const next = (i: number): void => {
      const entry = entries[i];
      if (!entry) {
        done(undefined);
        return;
      }
      const [match, parent] = entry;
      let called = false;
      try {
        match(name, (auth ?? {}) as Record<string, any>, (err, allow) => {
          if (called) return;
          called = true;
          if (err || !allow) {
            next(i + 1);
            return;
          }
          // The namespace may have been created while the check ran (socket.io #4136).
          const existing = this._nsps.get(name);
          done(existing ?? parent.createChild(name));
        });
      } catch {
        if (!called) {
          called = true;
          next(i + 1);
        }
      }
    };
    next(0);
  }

  /** Records a child namespace created by a parent. */
  _registerChild(child: Namespace<any, any, any, any>, _parent: ParentNamespace<any, any, any, any>): void {
    this._nsps.set(child.name, child);
    this.sockets._notifyNewNamespace(child);
  }

  /** `cleanupEmptyChildNamespaces`: drop a child namespace whose last socket left. */
  _onSocketRemoved(nsp: Namespace<any, any, any, any>): void {
    if (!this.opts.cleanupEmptyChildNamespaces || nsp.sockets.size > 0) return;
    for (const parent of this.#parentNsps.values()) {
      if (parent.children.delete(nsp)) {
        this._nsps.delete(nsp.name);
        void nsp.adapter.close();
        return;
      }
    }
  }

  // ---- main-namespace shortcuts -------------------------------------------------------

  on<
    Ev extends ReservedOrUserEventNames<
      ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
      ServerSideEvents
    >,
  >(
    ev: Ev,
    listener: ReservedOrUserListener<
      ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
      ServerSideEvents,
      Ev
    >,
  ): this {
    this.sockets.on(ev as any, listener as any);
    return this;
  }
  addListener<
    Ev extends ReservedOrUserEventNames<
      ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
      ServerSideEvents
    >,
  >(
    ev: Ev,
    listener: ReservedOrUserListener<
      ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
      ServerSideEvents,
      Ev
    >,
  ): this {
    return this.on(ev, listener);
  }
  once<
    Ev extends ReservedOrUserEventNames<
      ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
      ServerSideEvents
    >,
  >(
    ev: Ev,
    listener: ReservedOrUserListener<
      ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
      ServerSideEvents,
      Ev
    >,
  ): this {
    this.sockets.once(ev as any, listener as any);
    return this;
  }
  off(ev?: string, listener?: (...args: any[]) => void): this {
    this.sockets.off(ev as any, listener as any);
    return this;
  }
  removeListener(ev: string, listener: (...args: any[]) => void): this {
    return this.off(ev, listener);
  }
  removeAllListeners(ev?: string): this {
    this.sockets.removeAllListeners(ev as any);
    return this;
  }
  listeners(ev: string): ((...args: any[]) => void)[] {
    return this.sockets.listeners(ev as any) as any;
  }
  listenerCount(ev: string): number {
    return this.sockets.listenerCount(ev);
  }

  /** Connection middleware of the main namespace. */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.sockets.use(fn);
    return this;
  }
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.to(room);
  }
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.in(room);
  }
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.except(room);
  }
  /** Emits to every socket of the main namespace. */
  emit<Ev extends EventNames<RemoveAcknowledgements<EmitEvents>>>(
    ev: Ev,
    ...args: EventParams<RemoveAcknowledgements<EmitEvents>, Ev>
  ): boolean {
    return this.sockets.emit(ev, ...args);
  }
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return this.sockets.emitWithAck(ev, ...args);
  }
  send(...args: any[]): this {
    this.sockets.send(...args);
    return this;
  }
  write(...args: any[]): this {
    return this.send(...args);
  }
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }
  allSockets(): Promise<Set<string>> {
    return this.sockets.allSockets();
  }
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.compress(compress);
  }
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.volatile;
  }
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.local;
  }
  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.timeout(timeout);
  }
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.sockets.fetchSockets();
  }
  socketsJoin(room: Room | Room[]): void {
    this.sockets.socketsJoin(room);
  }
  socketsLeave(room: Room | Room[]): void {
    this.sockets.socketsLeave(room);
  }
  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

  /**
   * Disconnects every socket (`server shutting down`), closes the adapters and the engine.
   * Runtime entries also close their HTTP server.
   */
  async closeCore(): Promise<void> {
    await Promise.allSettled(
      [...this._nsps.values()].map(async (nsp) => {
        for (const socket of [...nsp.sockets.values()]) socket._onClose("server shutting down");
        await nsp.adapter.close();
      }),
    );
    this.connectTimeoutQueue.clear();
    this.engine?.close();
  }
}
