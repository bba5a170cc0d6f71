/**
 * The in-memory adapter: room bookkeeping and local broadcasts for one namespace. Cluster
 * adapters extend it and add their cross-server messages on top of these methods.
 */
import { Emitter, type SocketPacket } from "@omnio/protocol";
import type {
  AdapterNamespace,
  AdapterSocket,
  BroadcastOptions,
  RestoredSession,
  Room,
  Session,
  SocketId,
} from "./types.js";

export interface AdapterEvents {
  "create-room": (room: Room) => void;
  "delete-room": (room: Room) => void;
  "join-room": (room: Room, id: SocketId) => void;
  "leave-room": (room: Room, id: SocketId) => void;
  error: (err: Error) => void;
}

export class Adapter extends Emitter<AdapterEvents> {
  /** Sockets of each room. */
  readonly rooms = new Map<Room, Set<SocketId>>();
  /** Rooms of each socket. */
  readonly sids = new Map<SocketId, Set<Room>>();

  constructor(readonly nsp: AdapterNamespace) {
    super();
  }

  /** Called once the namespace is ready. */
  init(): Promise<void> | void {}
  /** Called when the server closes. */
  close(): Promise<void> | void {}
  /** Number of servers in the cluster (1 here). */
  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  addAll(id: SocketId, rooms: Set<Room>): Promise<void> | void {
    let own = this.sids.get(id);
    if (!own) this.sids.set(id, (own = new Set()));
    for (const room of rooms) {
      own.add(room);
      let members = this.rooms.get(room);
      if (!members) {
        this.rooms.set(room, (members = new Set()));
        this.emitReserved("create-room", room);
      }
      if (!members.has(id)) {
        members.add(id);
        this.emitReserved("join-room", room, id);
      }
    }
  }

  del(id: SocketId, room: Room): Promise<void> | void {
    this.sids.get(id)?.delete(room);
    this.#leave(room, id);
  }

  delAll(id: SocketId): void {
    const own = this.sids.get(id);
    if (!own) return;
    for (const room of own) this.#leave(room, id);
    this.sids.delete(id);
  }

  #leave(room: Room, id: SocketId): void {
    const members = this.rooms.get(room);
    if (!members?.delete(id)) return;
    this.emitReserved("leave-room", room, id);
    if (members.size === 0 && this.rooms.delete(room)) this.emitReserved("delete-room", room);
  }

  /** Sends a packet to every matching local socket; the packet is encoded once. */
  broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    const flags = opts.flags ?? {};
    packet.nsp = this.nsp.name;
    const encoded = this.nsp.encodeBroadcast(packet);
    const volatile = !!flags.volatile;
    const compress = flags.compress !== false;
    this.apply(opts, (socket) => {
      socket.notifyOutgoingListeners(packet);
      socket.writeEncoded(encoded, volatile, compress);
    });
  }

  /**
   * Broadcast expecting an ack from each recipient: `clientCount` is told how many were
   * sent to, `ack` runs once per response.
   */
  broadcastWithAck(
    packet: SocketPacket,
    opts: BroadcastOptions,
    clientCount: (count: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    const flags = opts.flags ?? {};
    packet.nsp = this.nsp.name;
    packet.id = this.nsp.nextAckId();
    const encoded = this.nsp.encodeBroadcast(packet);
    let count = 0;
    this.apply(opts, (socket) => {
      count++;
      socket.registerAck(packet.id!, ack);
      socket.notifyOutgoingListeners(packet);
      socket.writeEncoded(encoded, !!flags.volatile, flags.compress !== false);
    });
    clientCount(count);
  }

  /** Ids of the sockets in any of `rooms` (all sockets when empty). */
  sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.apply({ rooms }, (s) => ids.add(s.id));
    return Promise.resolve(ids);
  }

  socketRooms(id: SocketId): Set<Room> | undefined {
    return this.sids.get(id);
  }

  /** Local sockets matching `opts` (cluster adapters add remote ones). */
  fetchSockets(opts: BroadcastOptions): Promise<unknown[]> {
    const out: AdapterSocket[] = [];
    this.apply(opts, (s) => out.push(s));
    return Promise.resolve(out);
  }

  addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    this.apply(opts, (s) => s.join(rooms));
  }

  delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    this.apply(opts, (s) => rooms.forEach((r) => s.leave(r)));
  }

  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    this.apply(opts, (s) => s.disconnect(close));
  }

  /**
   * Sends an event to the other servers. A single server has none: with an ack the
   * callback gets an empty response list.
   */
  serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last === "function") {
      const ack = last as (err: Error | null, responses: unknown[]) => void;
      queueMicrotask(() => ack(null, []));
    }
  }

  /** Connection state recovery: keep a session. No-op here; see SessionAwareAdapter. */
  persistSession(_session: Session): Promise<void> | void {}

  /** Connection state recovery: find a session and its missed packets. */
  restoreSession(_pid: string, _offset: string): Promise<RestoredSession | null> {
    return Promise.resolve(null);
  }

  /** Calls `fn` for each local socket matching `opts`, once per socket. */
  protected apply(opts: BroadcastOptions, fn: (socket: AdapterSocket) => void): void {
    const sockets = this.nsp.sockets;
    const except = this.computeExceptSids(opts.except);
    if (opts.rooms.size > 0) {
      const seen = new Set<SocketId>();
      for (const room of opts.rooms) {
        const members = this.rooms.get(room);
        if (!members) continue;
        for (const id of members) {
          if (seen.has(id) || except?.has(id)) continue;
          seen.add(id);
          const socket = sockets.get(id);
          if (socket) fn(socket);
        }
      }
      return;
    }
    for (const [id, socket] of sockets) {
      if (!except?.has(id)) fn(socket);
    }
  }

  protected computeExceptSids(except: Set<Room> | undefined): Set<SocketId> | undefined {
    if (!except || except.size === 0) return undefined;
    const out = new Set<SocketId>();
    for (const room of except) {
      const members = this.rooms.get(room);
      if (members) for (const id of members) out.add(id);
    }
    return out;
  }
}
