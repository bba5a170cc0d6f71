/**
 * The wire format of `@socket.io/redis-adapter` (classic pub/sub) and `@socket.io/redis-emitter`,
 * so omnio nodes, official socket.io nodes and emitter processes share one cluster.
 *
 * - Broadcasts: msgpack `[uid, packet, { rooms, except, flags }]` on `<key>#<nsp>#`, or on
 *   `<key>#<nsp>#<room>#` when the broadcast targets exactly one room.
 * - Requests: JSON (msgpack for broadcast-with-ack) on `<key>-request#<nsp>#`; responses on
 *   `<key>-response#<nsp>#` or the requester's own `<key>-response#<nsp>#<uid>#`. A receiver
 *   tells JSON from msgpack by a leading `{`.
 */
import msgpack from "notepack.io";
import { RESERVED_EVENTS } from "@omnio/protocol";
import type { BroadcastFlags, Room } from "@omnio/server";

/** Request types of the classic Redis adapter (numbers on the wire). */
export const RequestType = {
  SOCKETS: 0,
  ALL_ROOMS: 1,
  REMOTE_JOIN: 2,
  REMOTE_LEAVE: 3,
  REMOTE_DISCONNECT: 4,
  REMOTE_FETCH: 5,
  SERVER_SIDE_EMIT: 6,
  BROADCAST: 7,
  BROADCAST_CLIENT_COUNT: 8,
  BROADCAST_ACK: 9,
} as const;
export type RequestType = (typeof RequestType)[keyof typeof RequestType];

/** Uid used by the official emitters (`@socket.io/redis-emitter`); never a node. */
export const EMITTER_UID = "emitter";

/** Broadcast options as they travel (arrays instead of sets). */
export interface WireBroadcastOptions {
  rooms: Room[];
  except: Room[];
  flags?: BroadcastFlags | undefined;
}

/** A packet as the official adapters carry it (socket.io-parser's shape). */
export interface WirePacket {
  type: number;
  nsp?: string;
  data?: unknown;
  id?: number;
}

/** Any request or response; fields depend on `type`. */
export interface WireRequest {
  type?: number;
  uid?: string;
  requestId?: string;
  [field: string]: unknown;
}

/** Channel names of one namespace. */
export interface Channels {
  /** `<key>#<nsp>#`: broadcasts to the whole namespace or to several rooms. */
  broadcast: string;
  request: string;
  response: string;
  /** This node's own response channel. */
  ownResponse: string;
}

export function channelsFor(key: string, nsp: string, uid: string): Channels {
  const response = `${key}-response#${nsp}#`;
  return {
    broadcast: `${key}#${nsp}#`,
    request: `${key}-request#${nsp}#`,
    response,
    ownResponse: `${response}${uid}#`,
  };
}

/** `<key>#<nsp>#<room>#`: the channel of one room. */
export function roomChannel(channels: Channels, room: Room): string {
  return `${channels.broadcast}${String(room)}#`;
}

/** The room named by a room channel, or "" for the namespace channel, or undefined if foreign. */
export function roomOfChannel(channels: Channels, channel: string): string | undefined {
  if (!channel.startsWith(channels.broadcast)) return undefined;
  return channel.slice(channels.broadcast.length, -1);
}

export function encodeBroadcast(uid: string, packet: WirePacket, opts: WireBroadcastOptions): Buffer {
  return msgpack.encode([uid, packet, opts]) as Buffer;
}

/** Decodes a broadcast message; undefined when it is not one (never throws). */
export function decodeBroadcast(
  msg: Buffer,
): { uid: string; packet: WirePacket; opts: WireBroadcastOptions } | undefined {
  let value: unknown;
  try {
    value = msgpack.decode(msg);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length < 3) return undefined;
  const [uid, packet, opts] = value as [unknown, unknown, unknown];
  if (!isWirePacket(packet) || typeof opts !== "object" || opts === null) return undefined;
  const o = opts as Partial<WireBroadcastOptions>;
  if ((o.rooms !== undefined && !Array.isArray(o.rooms)) || (o.except !== undefined && !Array.isArray(o.except))) {
    return undefined;
  }
  return {
    uid: String(uid),
    packet: packet,
    opts: {
      rooms: Array.isArray(o.rooms) ? o.rooms : [],
      except: Array.isArray(o.except) ? o.except : [],
      flags: typeof o.flags === "object" && o.flags !== null ? o.flags : undefined,
    },
  };
}

/**
 * An EVENT (2) or BINARY_EVENT (5) packet whose payload is a valid event (`[name, ...args]`, name
 * a string outside the protocol's RESERVED_EVENTS, or a number): anything else would make clients
 * drop their connection.
 */
export function isWirePacket(value: unknown): value is WirePacket {
  if (typeof value !== "object" || value === null) return false;
  const p = value as WirePacket;
  if ((p.type !== 2 && p.type !== 5) || (p.nsp !== undefined && typeof p.nsp !== "string")) return false;
  if (!Array.isArray(p.data) || p.data.length === 0) return false;
  const name: unknown = p.data[0];
  return typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name));
}

export function encodeRequestJson(req: WireRequest): string {
  return JSON.stringify(req);
}

export function encodeRequestBinary(req: WireRequest): Buffer {
  return msgpack.encode(req) as Buffer;
}

/** Decodes a request or response (JSON when it starts with `{`, msgpack otherwise). */
export function decodeRequest(msg: Buffer): WireRequest | undefined {
  try {
    const value: unknown = msg[0] === 0x7b ? JSON.parse(msg.toString()) : msgpack.decode(msg);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as WireRequest) : undefined;
  } catch {
    return undefined;
  }
}

/** Options on the wire → the adapter's options (sets). */
export function toSets(opts: { rooms?: unknown; except?: unknown }): { rooms: Set<Room>; except: Set<Room> } {
  return {
    rooms: new Set(Array.isArray(opts.rooms) ? (opts.rooms as Room[]) : []),
    except: new Set(Array.isArray(opts.except) ? (opts.except as Room[]) : []),
  };
}
