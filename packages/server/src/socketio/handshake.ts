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
  /** A copy of the CONNECT payload. */
  auth: Record<string, unknown>;
}

/**
 * Copies the CONNECT payload for `handshake.auth`. socket.io exposes the decoded payload
 * itself: a plain object for v5 clients (so `auth.hasOwnProperty` works and it deep-equals
 * an object literal), a prototype-less map for 2.x clients' namespace query. Keys are
 * defined, not assigned, so a `__proto__` key stays a plain key and never sets the prototype.
 */
export function copyAuth(value: unknown): Record<string, unknown> {
  const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
  const out = (isMap && Object.getPrototypeOf(value) === null ? Object.create(null) : {}) as Record<string, unknown>;
  if (isMap) {
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  return out;
}
