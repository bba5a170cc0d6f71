/**
 * The engine's view of a transport. Each transport reports to a {@link TransportSink} that the
 * engine binds to the transport's id, so a stale transport (closed, replaced by an upgrade, or
 * a failed probe) can never act on the engine (centrifuge-js `_transportId`).
 */
import type { EnginePacket } from "@omnio/protocol";
import type { EngineError } from "../errors.js";
import type { Platform } from "../platform/contract.js";
import type { TransportName } from "./options.js";
import { buildUrl, type ServerAddress } from "./url.js";

/** A packet waiting to be written, with its per-frame compression wish (WebSocket only). */
export type OutgoingPacket = EnginePacket & { compress?: boolean };

/** Where a transport reports; every call may be a no-op if the transport became stale. */
export interface TransportSink {
  onOpen(): void;
  onPacket(packet: EnginePacket): void;
  /** The packets given to `send` have left; the transport is writable again. */
  onDrain(): void;
  onError(error: EngineError): void;
  onClose(description: string): void;
}

/** Everything a transport needs, fixed when the engine creates it. */
export interface TransportConfig {
  platform: Platform;
  address: ServerAddress;
  path: string;
  addTrailingSlash: boolean;
  /** Query without timestamp; includes `EIO`, `transport` and, once known, `sid`. */
  query: Record<string, string>;
  headers: Readonly<Record<string, string>>;
  withCredentials: boolean;
  /** Add `timestampParam` to each request URL. */
  timestamp: boolean;
  timestampParam: string;
  protocols: readonly string[];
  /** Current per-request timeout (depends on the handshake). */
  requestTimeout: () => number;
  /** Largest POST body the server accepts, once known (handshake `maxPayload`). */
  maxPayload: () => number;
}

/** A transport: polling or websocket. Every method is safe to call in any state. */
export interface Transport {
  readonly name: TransportName;
  /** True when `send` may be called. */
  readonly writable: boolean;
  open(): void;
  /** Records the session id for later requests (polling learns it from the handshake). */
  setSid(sid: string): void;
  /** Sends packets; `onDrain` follows once they are written. */
  send(packets: OutgoingPacket[]): void;
  /** Stops receiving once in-flight requests end, then calls `onPaused` (upgrade, spec "Upgrade"). */
  pause(onPaused: () => void): void;
  /** Undoes `pause` after a failed upgrade. */
  resume(): void;
  /**
   * Ends the transport. `graceful` tells the server (polling POSTs `1`); `false` just drops it
   * (after an upgrade the server has already switched). No sink call follows.
   */
  close(graceful: boolean): void;
}

/** Builds a request URL with an optional cache-busting timestamp. */
export function transportUrl(config: TransportConfig, scheme: "http" | "ws", stamp: string | undefined): string {
  const query = stamp === undefined ? config.query : { ...config.query, [config.timestampParam]: stamp };
  return buildUrl(config.address, scheme, config.path, config.addTrailingSlash, query);
}
