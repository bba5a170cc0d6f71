/**
 * An immutable broadcast target: rooms, exceptions and flags, built by chaining
 * (`io.to("a").except("b").timeout(1000).emit(...)`). Every chain step returns a new operator.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- ack callbacks and listener arguments are arbitrary by design */
import { PacketType, type SocketPacket } from "@omnio/protocol";
import type { Adapter } from "../adapter/in-memory-adapter.js";
import type { BroadcastFlags, Room, SocketDetails } from "../adapter/types.js";
import type { Handshake } from "./handshake.js";
import { SOCKET_RESERVED_EVENTS, timeoutError } from "./reasons.js";
import type {
  AllButLast,
  DecorateAcknowledgementsWithMultipleResponses,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  TypedEventBroadcaster,
} from "./typed-events.js";

function asSet(room: Room | Room[]): Room[] {
  return Array.isArray(room) ? room : [room];
}

export class BroadcastOperator<
  EmitEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> implements TypedEventBroadcaster<EmitEvents> {
  constructor(
    private readonly adapter: Adapter,
    private readonly rooms: Set<Room> = new Set(),
    private readonly exceptRooms: Set<Room> = new Set(),
    private readonly flags: BroadcastFlags & { expectSingleResponse?: boolean } = {},
  ) {}

  /** Targets sockets in `room` (joined with previous `to` calls: union). */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.rooms);
    for (const r of asSet(room)) rooms.add(r);
    return new BroadcastOperator(this.adapter, rooms, this.exceptRooms, this.flags);
  }
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }
  /** Excludes sockets in `room`. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const except = new Set(this.exceptRooms);
    for (const r of asSet(room)) except.add(r);
    return new BroadcastOperator(this.adapter, this.rooms, except, this.flags);
  }
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, compress });
  }
  /** Recipients that cannot take the packet now skip it. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, volatile: true });
  }
  /** Only sockets of this server. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, local: true });
  }
  /** The ack callback of the next emit gets `(err, responses)`; err after `timeout` ms. */
  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<EmitEvents>, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, timeout }) as any;
  }

  /**
   * Emits to every target. A function as last argument collects one ack per recipient:
   * `(err, responses)`.
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    if (SOCKET_RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
    const data: unknown[] = [ev, ...args];
    const packet: SocketPacket = { type: PacketType.EVENT, nsp: "/", data };
    const opts = { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
    if (typeof data[data.length - 1] !== "function") {
      this.adapter.broadcast(packet, opts);
      return true;
    }
    const ack = data.pop() as (err: Error | null, responses: unknown[]) => void;
    let timedOut = false;
    const responses: unknown[] = [];
    let expected = -1;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ack.call(this, err, responses);
    };
    // Like socket.io, a broadcast with an ack but no timeout() still gets a timer (of 0).
    const timer = setTimeout(() => {
      timedOut = true;
      finish(expected === responses.length ? null : timeoutError());
    }, this.flags.timeout ?? 0);
    this.adapter.broadcastWithAck(
      packet,
      opts,
      (count) => {
        expected = count;
        if (responses.length === expected) finish(null);
      },
      (...response: unknown[]) => {
        if (timedOut || done) return;
        responses.push(this.flags.expectSingleResponse ? response : response[0]);
        if (responses.length === expected) finish(null);
      },
    );
    return true;
  }

  /** Emits and resolves with every recipient's response. */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      (this.emit as (ev: string, ...a: unknown[]) => boolean)(ev, ...args, (err: Error | null, responses: unknown) =>
        err ? reject(err) : resolve(responses as any),
      );
    });
  }

  /** Ids of the target sockets (deprecated in socket.io; kept for compatibility). */
  allSockets(): Promise<Set<string>> {
    return this.adapter.sockets(this.rooms);
  }

  /** The target sockets (local `Socket`s, or `RemoteSocket`s from other servers). */
  async fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    const sockets = await this.adapter.fetchSockets({ rooms: this.rooms, except: this.exceptRooms, flags: this.flags });
    return sockets.map((s) =>
      s instanceof RemoteSocket
        ? s
        : isLocalSocket(s)
          ? (s as any)
          : new RemoteSocket(this.adapter, s as SocketDetails),
    );
  }

  socketsJoin(room: Room | Room[]): void {
    void this.adapter.addSockets({ rooms: this.rooms, except: this.exceptRooms, flags: this.flags }, asSet(room));
  }
  socketsLeave(room: Room | Room[]): void {
    void this.adapter.delSockets({ rooms: this.rooms, except: this.exceptRooms, flags: this.flags }, asSet(room));
  }
  disconnectSockets(close = false): void {
    void this.adapter.disconnectSockets({ rooms: this.rooms, except: this.exceptRooms, flags: this.flags }, close);
  }
}

function isLocalSocket(s: unknown): boolean {
  return typeof s === "object" && s !== null && typeof (s as { writeEncoded?: unknown }).writeEncoded === "function";
}

/** A socket living on another server, as returned by `fetchSockets()`. */
export class RemoteSocket<EmitEvents extends EventsMap = DefaultEventsMap, SocketData = any> {
  readonly id: string;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  readonly #operator: BroadcastOperator<EmitEvents, SocketData>;

  constructor(adapter: Adapter, details: SocketDetails) {
    this.id = details.id;
    this.handshake = details.handshake as Handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data as SocketData;
    this.#operator = new BroadcastOperator(adapter, new Set([this.id]), new Set(), { expectSingleResponse: true });
  }
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.#operator.emit(ev, ...args);
  }
  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.#operator.timeout(timeout);
  }
  join(room: Room | Room[]): void {
    this.#operator.socketsJoin(room);
  }
  leave(room: Room | Room[]): void {
    this.#operator.socketsLeave(room);
  }
  disconnect(close = false): this {
    this.#operator.disconnectSockets(close);
    return this;
  }
}
