/**
 * The IPC messages between node:cluster workers and the primary. Every message carries
 * `tag: CLUSTER_TAG` so that other IPC traffic of the application passes through untouched.
 * Adapter messages follow socket.io's ClusterAdapter kinds (§1.11 of the protocol notes:
 * broadcast, broadcast with acks and their client counts, sockets join/leave/disconnect,
 * fetch sockets, server-side emit) with names instead of numbers. They travel with Node's
 * "advanced" IPC serialization (structured clone), so binary payloads stay binary.
 */
import type { BroadcastFlags, Room } from "@omnio/server";

export const CLUSTER_TAG = "omnio:cluster";

/** `BroadcastOptions` with arrays instead of sets. */
export interface WireOptions {
  rooms: Room[];
  except: Room[];
  flags: BroadcastFlags;
}

export type AdapterBody =
  | { type: "broadcast"; packet: unknown; opts: WireOptions }
  | { type: "broadcast-ack"; packet: unknown; opts: WireOptions; requestId: number }
  | { type: "client-count"; requestId: number; count: number }
  | { type: "ack"; requestId: number; args: unknown[] }
  | { type: "join"; opts: WireOptions; rooms: Room[] }
  | { type: "leave"; opts: WireOptions; rooms: Room[] }
  | { type: "disconnect"; opts: WireOptions; close: boolean }
  | { type: "fetch"; opts: WireOptions; requestId: number }
  | { type: "fetch-response"; requestId: number; sockets: unknown[] }
  | { type: "sockets"; rooms: Room[]; requestId: number }
  | { type: "sockets-response"; requestId: number; ids: string[] }
  | { type: "server-side-emit"; args: unknown[]; requestId?: number }
  | { type: "server-side-emit-response"; requestId: number; arg: unknown };

/** Worker → primary: this worker's node id and where its forwarding listener is. */
export interface HelloMessage {
  tag: typeof CLUSTER_TAG;
  kind: "hello";
  nodeId: string;
  address: string;
}

/** Primary → workers: every live worker's address, and the forwarding secret. */
export interface MembersMessage {
  tag: typeof CLUSTER_TAG;
  kind: "members";
  nodes: Record<string, string>;
  secret: string;
  /** A one-byte array: arrives as a `Uint8Array` only with "advanced" serialization. */
  probe: Uint8Array;
}

/** Worker → primary → worker(s): one adapter message; `to` absent means every other worker. */
export interface AdapterMessage {
  tag: typeof CLUSTER_TAG;
  kind: "adapter";
  from: string;
  to?: string;
  nsp: string;
  body: AdapterBody;
}

export type ClusterMessage = HelloMessage | MembersMessage | AdapterMessage;

export function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === "object" && m !== null && (m as { tag?: unknown }).tag === CLUSTER_TAG;
}
