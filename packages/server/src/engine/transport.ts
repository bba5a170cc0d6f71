/**
 * The transport contract between an engine session and its polling or WebSocket carrier.
 * A transport only moves packets; its owner (the session, or an upgrade probe) decides
 * what they mean.
 */
import type { EnginePacket } from "@omnio/protocol";

/** A packet waiting to be written, with its per-packet options. */
export interface OutgoingPacket extends EnginePacket {
  /** Allow compression of this packet (permessage-deflate / HTTP compression). */
  compress?: boolean;
  /** A frame prepared once for all recipients of a broadcast (WebSocket fast path). */
  prepared?: unknown;
  /** Called once the packet has been handed to the network. */
  callback?: () => void;
}

/** What a transport reports to its owner. Implemented by the session itself (no closures). */
export interface TransportOwner {
  onTransportPacket(packet: EnginePacket): void;
  /** A transport failure; `description` says why (`"parse error"` for undecodable input). */
  onTransportError(description: string): void;
  /** The carrier closed cleanly (client went away, or our graceful close completed). */
  onTransportClose(): void;
  /** The transport became writable (a GET arrived). */
  onTransportDrain(): void;
}

export abstract class Transport {
  abstract readonly name: "polling" | "websocket";
  /** Engine.IO protocol revision of the session (3 or 4). */
  protocol: 3 | 4 = 4;
  /** Client asked for text-only frames (`b64=1`). */
  base64 = false;
  owner: TransportOwner | undefined;
  /** Whether `send` would write right now. */
  abstract readonly writable: boolean;
  /** True while the carrier is backed up; volatile packets are dropped meanwhile. */
  get congested(): boolean {
    return false;
  }
  /** Writes packets (only call when `writable`). */
  abstract send(packets: OutgoingPacket[]): void;
  /** Closes gracefully (polling: tells the client with a `close` packet). */
  abstract close(): void;
  /** Drops the carrier without telling the client (after an upgrade or on error). */
  abstract discard(): void;
}
