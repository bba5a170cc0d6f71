/** The handshake details exposed as `socket.handshake`. */
import type { HeaderMap } from "../engine/contracts.js";

export interface Handshake {
  /** Headers of the first HTTP request of the connection. */
  headers: HeaderMap;
  /** Date of the handshake, as a string. */
  time: string;
  /** Client IP address. */
  address: string;
  /** Whether the request was cross-origin (an `Origin` header was sent). */
  xdomain: boolean;
  /** Whether the connection is over TLS. */
  secure: boolean;
  /** Handshake time in ms since the epoch. */
  issued: number;
  /** URL of the first request. */
  url: string;
  /** Query of the first request (prototype-less map). */
  query: Record<string, string | string[] | undefined>;
  /** The CONNECT payload (prototype-less copy). */
  auth: Record<string, unknown>;
}

/**
 * Copies a client-provided object into a prototype-less map, so `__proto__` or
 * `constructor` keys stay plain keys.
 */
export function nullProtoCopy(value: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  }
  return out;
}
