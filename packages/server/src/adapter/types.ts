/**
 * The adapter contract (the shape of socket.io-adapter's `Adapter`), so cluster adapters
 * (Redis, node:cluster) plug into any namespace without touching the core.
 */
import type { SocketPacket } from "@omnio/protocol";

export type SocketId = string;
export type Room = string | number;

/** Flags of one broadcast. */
export interface BroadcastFlags {
  volatile?: boolean;
  compress?: boolean;
  local?: boolean;
  broadcast?: boolean;
  binary?: boolean;
  timeout?: number;
}

/** Who receives a broadcast: sockets in any of `rooms` (all when empty), minus `except`. */
export interface BroadcastOptions {
  rooms: Set<Room>;
  except?: Set<Room>;
  flags?: BroadcastFlags;
}

/** What connection state recovery keeps of a socket between disconnect and reconnect. */
export interface Session {
  sid: SocketId;
  pid: string;
  rooms: Room[];
  data: unknown;
}

/** A session found again, with the broadcasts it missed (payloads, in order). */
export interface RestoredSession extends Session {
  missedPackets: unknown[][];
}

/** Written for each recipient of a broadcast: already-encoded frames. */
export interface EncodedBroadcast {
  parts: Array<string | Uint8Array | ArrayBuffer | ArrayBufferView>;
  /** The first part as a prepared WebSocket frame, when the runtime can prepare one. */
  prepared: unknown;
}

/** A socket as seen by an adapter (local sockets; remote ones travel as {@link SocketDetails}). */
export interface AdapterSocket {
  readonly id: SocketId;
  readonly handshake: unknown;
  readonly rooms: Set<Room>;
  data: unknown;
  join(rooms: Room | Room[]): unknown;
  leave(room: Room): unknown;
  disconnect(close?: boolean): unknown;
  /** Writes pre-encoded frames to this socket's connection. */
  writeEncoded(encoded: EncodedBroadcast, volatile: boolean, compress: boolean): void;
  /** Runs `onAnyOutgoing` listeners for a broadcast packet. */
  notifyOutgoingListeners(packet: SocketPacket): void;
  /** Registers a broadcast-ack callback for `id` (same id for every recipient). */
  registerAck(id: number, ack: (...args: unknown[]) => void): void;
}

/** Plain data of a socket, as returned by `fetchSockets()` across servers. */
export interface SocketDetails {
  id: SocketId;
  handshake: unknown;
  rooms: Room[];
  data: unknown;
}

/** What an adapter needs from its namespace. */
export interface AdapterNamespace {
  readonly name: string;
  readonly sockets: Map<SocketId, AdapterSocket>;
  /** Next ack id of the namespace (shared by direct emits and broadcasts). */
  nextAckId(): number;
  /** Encodes a packet once for many recipients. */
  encodeBroadcast(packet: SocketPacket): EncodedBroadcast;
  /** Delivers a server-side event from another server to local listeners. */
  onServerSideEmit(args: unknown[]): void;
}
