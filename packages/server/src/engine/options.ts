/**
 * Engine.IO server options. Names and defaults are socket.io's (engine.io 6.6.x), so an
 * options object written for socket.io means the same thing here. Limits are on by default.
 */
import type { CorsOptions } from "./cors.js";

/** Decides whether a handshake may proceed; call `callback(errorMessage, allowed)`. */
export type AllowRequest = (req: unknown, callback: (err: string | null | undefined, success: boolean) => void) => void;

/** Options of the `Set-Cookie` sent on handshake when `cookie` is enabled. */
export interface CookieOptions {
  /** @default "io" */
  name?: string;
  /** @default "/" */
  path?: string | false;
  /** @default true */
  httpOnly?: boolean;
  /** @default "lax" */
  sameSite?: "lax" | "strict" | "none" | boolean;
  domain?: string;
  secure?: boolean;
  maxAge?: number;
  expires?: Date;
}

export interface EngineOptions {
  /** Milliseconds between two server pings (protocol v4). @default 25000 */
  pingInterval?: number;
  /** Milliseconds to wait for a pong before closing with `ping timeout`. @default 20000 */
  pingTimeout?: number;
  /** Milliseconds an unfinished polling→WebSocket upgrade may take. @default 10000 */
  upgradeTimeout?: number;
  /** Largest message (bytes) accepted on either transport; advertised as `maxPayload`. @default 1e6 */
  maxHttpBufferSize?: number;
  /** Milliseconds a POST body may take to arrive before `408`. @default 30000 */
  httpRequestBodyTimeout?: number;
  /** Largest number of chunks a POST body may arrive in before `413`. @default 10000 */
  maxBufferedChunks?: number;
  /**
   * Bytes that may wait for a slow client (WebSocket buffered amount or polling buffer)
   * before the session is closed with `transport error`. omnio-only safety limit.
   * @default 16 MiB
   */
  maxWriteBufferSize?: number;
  /** Called for each handshake; reject to answer `403 {"code":4}`. */
  allowRequest?: AllowRequest;
  /** Enabled transports, in upgrade order. @default ["polling","websocket"] */
  transports?: ReadonlyArray<"polling" | "websocket">;
  /** Whether polling sessions may upgrade. @default true */
  allowUpgrades?: boolean;
  /** WebSocket permessage-deflate (false, true, or ws's options object). @default false */
  perMessageDeflate?: boolean | Record<string, unknown>;
  /** Compression of polling responses (false, or `{ threshold }`). @default { threshold: 1024 } */
  httpCompression?: boolean | { threshold?: number };
  /** A `message` packet sent right after the open packet. */
  initialPacket?: string | Uint8Array;
  /** `Set-Cookie` with the session id on handshake. @default false */
  cookie?: boolean | CookieOptions;
  /** Cross-origin policy, same shape as the `cors` npm package (and socket.io). @default false (no CORS headers) */
  cors?: CorsOptions | boolean;
  /** Accept Engine.IO v3 (Socket.IO 2.x) clients. @default false */
  allowEIO3?: boolean;
  /** Engine.IO path. @default "/engine.io" (socket.io: "/socket.io") */
  path?: string;
  /** Match `<path>/` (true) or `<path>` (false). @default true */
  addTrailingSlash?: boolean;
  /** Destroy upgrade requests on other paths after `destroyUpgradeTimeout`. @default true */
  destroyUpgrade?: boolean;
  /** @default 1000 */
  destroyUpgradeTimeout?: number;
  /** Largest number of packets in one polling POST body. omnio-only safety limit. @default 10000 */
  maxPacketsPerPayload?: number;
}

export type ResolvedEngineOptions = Required<
  Omit<EngineOptions, "allowRequest" | "initialPacket" | "cookie" | "cors" | "httpCompression" | "perMessageDeflate">
> & {
  allowRequest: AllowRequest | undefined;
  initialPacket: string | Uint8Array | undefined;
  cookie: (Required<Pick<CookieOptions, "name" | "httpOnly" | "sameSite">> & CookieOptions) | false;
  cors: CorsOptions | false;
  httpCompression: { threshold: number } | false;
  perMessageDeflate: false | Record<string, unknown>;
};

export const ENGINE_DEFAULTS = Object.freeze({
  pingInterval: 25000,
  pingTimeout: 20000,
  upgradeTimeout: 10000,
  maxHttpBufferSize: 1e6,
  httpRequestBodyTimeout: 30000,
  maxBufferedChunks: 10000,
  maxWriteBufferSize: 16 * 1024 * 1024,
  transports: Object.freeze(["polling", "websocket"] as const),
  allowUpgrades: true,
  allowEIO3: false,
  path: "/engine.io",
  addTrailingSlash: true,
  destroyUpgrade: true,
  destroyUpgradeTimeout: 1000,
  maxPacketsPerPayload: 10000,
});

function positive(name: string, value: number): number {
  if (!(typeof value === "number" && value >= 0 && Number.isFinite(value))) {
    throw new TypeError(`The option "${name}" must be a finite number of zero or more, got ${String(value)}.`);
  }
  return value;
}

/** Fills in defaults and checks every option; conflicting or invalid values throw `TypeError`. */
export function resolveEngineOptions(o: EngineOptions = {}): ResolvedEngineOptions {
  const transports = o.transports ?? ENGINE_DEFAULTS.transports;
  for (const t of transports) {
    if (t !== "polling" && t !== "websocket") {
      throw new TypeError(`The transport "${String(t)}" is not supported; use "polling" and/or "websocket".`);
    }
  }
  if (transports.length === 0) throw new TypeError('The option "transports" must name at least one transport.');
  const cookie =
    o.cookie === true || typeof o.cookie === "object"
      ? { name: "io", path: "/", httpOnly: true, sameSite: "lax" as const, ...(o.cookie === true ? {} : o.cookie) }
      : false;
  const httpCompression =
    o.httpCompression === false
      ? false
      : { threshold: 1024, ...(typeof o.httpCompression === "object" ? o.httpCompression : {}) };
  const perMessageDeflate =
    o.perMessageDeflate === true
      ? { threshold: 1024 }
      : typeof o.perMessageDeflate === "object" && o.perMessageDeflate
        ? { threshold: 1024, ...o.perMessageDeflate }
        : false;
  let path = (o.path ?? ENGINE_DEFAULTS.path).replace(/\/$/, "");
  if (!path.startsWith("/")) path = "/" + path;
  return {
    pingInterval: positive("pingInterval", o.pingInterval ?? ENGINE_DEFAULTS.pingInterval),
    pingTimeout: positive("pingTimeout", o.pingTimeout ?? ENGINE_DEFAULTS.pingTimeout),
    upgradeTimeout: positive("upgradeTimeout", o.upgradeTimeout ?? ENGINE_DEFAULTS.upgradeTimeout),
    maxHttpBufferSize: positive("maxHttpBufferSize", o.maxHttpBufferSize ?? ENGINE_DEFAULTS.maxHttpBufferSize),
    httpRequestBodyTimeout: positive(
      "httpRequestBodyTimeout",
      o.httpRequestBodyTimeout ?? ENGINE_DEFAULTS.httpRequestBodyTimeout,
    ),
    maxBufferedChunks: positive("maxBufferedChunks", o.maxBufferedChunks ?? ENGINE_DEFAULTS.maxBufferedChunks),
    maxWriteBufferSize: positive("maxWriteBufferSize", o.maxWriteBufferSize ?? ENGINE_DEFAULTS.maxWriteBufferSize),
    allowRequest: o.allowRequest,
    transports: [...transports],
    allowUpgrades: o.allowUpgrades ?? ENGINE_DEFAULTS.allowUpgrades,
    perMessageDeflate,
    httpCompression,
    initialPacket: o.initialPacket,
    cookie,
    cors: o.cors === true ? {} : o.cors || false,
    allowEIO3: o.allowEIO3 ?? ENGINE_DEFAULTS.allowEIO3,
    path,
    addTrailingSlash: o.addTrailingSlash ?? ENGINE_DEFAULTS.addTrailingSlash,
    destroyUpgrade: o.destroyUpgrade ?? ENGINE_DEFAULTS.destroyUpgrade,
    destroyUpgradeTimeout: positive(
      "destroyUpgradeTimeout",
      o.destroyUpgradeTimeout ?? ENGINE_DEFAULTS.destroyUpgradeTimeout,
    ),
    maxPacketsPerPayload: positive(
      "maxPacketsPerPayload",
      o.maxPacketsPerPayload ?? ENGINE_DEFAULTS.maxPacketsPerPayload,
    ),
  };
}
