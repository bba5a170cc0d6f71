/**
 * A namespace: its sockets, middlewares, adapter and broadcast entry points
 * (`io.of("/admin")`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- socket data and listener arguments are arbitrary by design */
import { PacketType, type SocketPacket } from "@omnio/protocol";
import type { Adapter } from "../adapter/in-memory-adapter.js";
import type { EncodedBroadcast, Room } from "../adapter/types.js";
import { BroadcastOperator, type RemoteSocket } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import { SERVER_SIDE_RESERVED_EVENTS } from "./reasons.js";
import type { ServerCore } from "./server.js";
import { Socket, type PreviousSession } from "./socket.js";
import { StrictEventEmitter } from "./strict-emitter.js";
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
} from "./typed-events.js";

/** An error passed to a middleware's `next`; `data` reaches the client's `connect_error`. */
export interface ExtendedError extends Error {
  data?: any;
}

/** A middleware may pass anything to `next`; the client always gets `{ message, data }`. */
function toExtendedError(err: unknown): ExtendedError {
  if (err instanceof Error) return err;
  const message = (err as { message?: unknown } | null)?.message;
  return Object.assign(new Error(typeof message === "string" ? message : JSON.stringify(err)), {
    data: (err as { data?: unknown } | null)?.data,
  });
}

export interface NamespaceReservedEvents<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> {
  connect: (socket: Socket<L, E, S, D>) => void;
  connection: (socket: Socket<L, E, S, D>) => void;
}

export type NamespaceMiddleware<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> = (
  socket: Socket<L, E, S, D>,
  next: (err?: ExtendedError) => void,
) => void;

export class Namespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends StrictEventEmitter<
  ServerSideEvents,
  RemoveAcknowledgements<EmitEvents>,
  NamespaceReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
> {
  readonly sockets = new Map<string, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  adapter!: Adapter;
  /** Middlewares run on each connection (`next(err)` refuses it). */
  _fns: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[] = [];
  #ids = 0;

  constructor(
    readonly server: ServerCore<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    readonly name: string,
  ) {
    super();
    this._initAdapter();
  }

  /** Creates this namespace's adapter from the server's `adapter` option. */
  _initAdapter(): void {
    this.adapter = this.server._createAdapter(this);
    void this.adapter.init();
  }

  /** Next ack id; shared by direct emits and broadcasts of the namespace, from 0. */
  nextAckId(): number {
    return this.#ids++;
  }

  /** Encodes once for many recipients (and prepares the WebSocket frame when possible). */
  encodeBroadcast(packet: SocketPacket): EncodedBroadcast {
    const parts = this.server.encoder(packet);
    const prepare = this.server.runtime.prepareFrame;
    // Text frames only: a custom parser may encode a packet as one binary frame.
    const first = parts[0];
    const prepared = parts.length === 1 && prepare && typeof first === "string" ? prepare("4" + first) : undefined;
    return { parts, prepared };
  }

  /** An event sent by another server with `serverSideEmit`. */
  onServerSideEmit(args: unknown[]): void {
    const [ev, ...rest] = args;
    this.emitUntyped(String(ev), ...rest);
  }

  /** Raises `new_namespace` (on the main namespace). */
  _notifyNewNamespace(nsp: Namespace<any, any, any, any>): void {
    this.emitUntyped("new_namespace", nsp);
  }

  /** Adds a connection middleware. */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this._fns.push(fn);
    return this;
  }

  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).to(room);
  }
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).except(room);
  }

  /** Emits to every socket of the namespace. */
  emit<Ev extends EventNames<RemoveAcknowledgements<EmitEvents>>>(
    ev: Ev,
    ...args: EventParams<RemoveAcknowledgements<EmitEvents>, Ev>
  ): boolean {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).emit(ev as any, ...(args as any));
  }
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).emitWithAck(ev, ...args);
  }
  send(...args: any[]): this {
    (this.emit as (ev: string, ...a: unknown[]) => boolean)("message", ...args);
    return this;
  }
  write(...args: any[]): this {
    return this.send(...args);
  }

  /**
   * Sends an event to the other servers of the cluster (their `io.on(ev)` listeners). With
   * an ack callback, it gets `(err, responses)`.
   */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): boolean {
    if (SERVER_SIDE_RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
    this.adapter.serverSideEmit([ev, ...args]);
    return true;
  }
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return new Promise((resolve, reject) => {
      (this.serverSideEmit as (ev: string, ...a: unknown[]) => boolean)(
        ev,
        ...args,
        (err: Error | null, responses: any) => (err ? reject(err) : resolve(responses)),
      );
    });
  }

  allSockets(): Promise<Set<string>> {
    return new BroadcastOperator(this.adapter).allSockets();
  }
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).compress(compress);
  }
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).volatile;
  }
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).local;
  }
  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<EmitEvents>, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).timeout(timeout);
  }
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).fetchSockets();
  }
  socketsJoin(room: Room | Room[]): void {
    new BroadcastOperator(this.adapter).socketsJoin(room);
  }
  socketsLeave(room: Room | Room[]): void {
    new BroadcastOperator(this.adapter).socketsLeave(room);
  }
  disconnectSockets(close = false): void {
    new BroadcastOperator(this.adapter).disconnectSockets(close);
  }

  /** Adds a client connection to this namespace: recovery, middlewares, then `connection`. */
  async _add(client: Client, auth: unknown, onConnected: (socket: Socket<any, any, any, any>) => void): Promise<void> {
    const csr = this.server.opts.connectionStateRecovery;
    let previous: PreviousSession | undefined;
    if (csr && typeof auth === "object" && auth !== null) {
      const { pid, offset } = auth as { pid?: unknown; offset?: unknown };
      if (typeof pid === "string" && typeof offset === "string") {
        try {
          previous = (await this.adapter.restoreSession(pid, offset)) ?? undefined;
        } catch {
          previous = undefined;
        }
        if (client.conn.readyState !== "open") return;
      }
    }
    const socket = new Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this, client, auth, previous);
    if (previous && csr && csr.skipMiddlewares) {
      this.#doConnect(socket, onConnected);
      return;
    }
    const err = await this.#runMiddlewares(socket);
    if (client.conn.readyState !== "open" || err) socket._cleanup(); // rooms joined by middlewares
    if (client.conn.readyState !== "open") return; // the client left meanwhile
    if (err) {
      if (client.conn.protocol === 3) {
        client.writePacket({ type: PacketType.CONNECT_ERROR, nsp: this.name, data: err.data || err.message });
      } else {
        const data: { message: string; data?: unknown } = { message: err.message };
        if (err.data !== undefined) data.data = err.data;
        client.writePacket({ type: PacketType.CONNECT_ERROR, nsp: this.name, data });
      }
      return;
    }
    this.#doConnect(socket, onConnected);
  }

  #doConnect(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    onConnected: (s: Socket<any, any, any, any>) => void,
  ): void {
    this.sockets.set(socket.id, socket);
    socket._onConnect();
    onConnected(socket);
    this.emitReserved("connect", socket);
    this.emitReserved("connection", socket);
  }

  #runMiddlewares(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ): Promise<ExtendedError | undefined> {
    const fns = this._fns.slice();
    if (fns.length === 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const run = (i: number): void => {
        const fn = fns[i];
        if (!fn) {
          resolve(undefined);
          return;
        }
        let called = false;
        const next = (err?: ExtendedError): void => {
          if (called) return;
          called = true;
          if (err) resolve(toExtendedError(err));
          else run(i + 1);
        };
        try {
          fn(socket, next);
        } catch (e) {
          next(e instanceof Error ? e : new Error(String(e)));
        }
      };
      run(0);
    });
  }

  /** Forgets a socket that left. */
  _remove(socket: Socket<any, any, any, any>): void {
    if (this.sockets.get(socket.id) === socket) {
      this.sockets.delete(socket.id);
      this.server._onSocketRemoved(this as any);
    }
  }
}
