/**
 * Engine.IO client options: the same names and defaults as engine.io-client 6.6 (protocol doc
 * §1.8), each documented where it is declared, with a frozen defaults object and a resolver.
 */
import type { Platform } from "../platform/contract.js";
import { withDefaults } from "./defaults.js";

/** The transports this client implements. */
export type TransportName = "polling" | "websocket";

/** Per-transport overrides (`transportOptions.polling`, `transportOptions.websocket`). */
export interface TransportOverrides {
  /** Replaces `query` for this transport. */
  query?: Record<string, string>;
  /** Replaces `extraHeaders` for this transport. */
  extraHeaders?: Record<string, string>;
  /** Replaces `path` for this transport. */
  path?: string;
}

/** Options of {@link EngineSocket}. */
export interface EngineOptions {
  /** The host adapter (see `Platform`). Required: the core never guesses its host. */
  platform: Platform;
  /**
   * Path of the Engine.IO endpoint.
   * @default "/engine.io"
   */
  path?: string;
  /**
   * Extra query parameters sent with every request (handshake, polling, WebSocket).
   * @default {}
   */
  query?: Record<string, string>;
  /**
   * Transports to use, in order of preference; the first one opens the connection.
   * @default ["polling", "websocket"]
   */
  transports?: readonly TransportName[];
  /**
   * Whether to upgrade from polling to websocket when the server offers it.
   * @default true
   */
  upgrade?: boolean;
  /**
   * Start directly with websocket when a previous connection sharing `upgradeMemory` upgraded
   * successfully (engine.io-client keeps this flag module-global; here it is explicit).
   * @default false
   */
  rememberUpgrade?: boolean;
  /**
   * Where `rememberUpgrade` reads and writes its flag; share one object between connections
   * (the Manager does). Without it the flag lives and dies with this socket.
   * @default a fresh object per socket
   */
  upgradeMemory?: { websocketSucceeded: boolean };
  /**
   * When the first transport fails before the handshake, try the next one in `transports`.
   * @default false
   */
  tryAllTransports?: boolean;
  /**
   * Extra HTTP headers (polling requests, and the WebSocket handshake where the host allows it).
   * @default {}
   */
  extraHeaders?: Record<string, string>;
  /**
   * Send credentials (cookies) with cross-origin polling requests.
   * @default false
   */
  withCredentials?: boolean;
  /**
   * Append a trailing slash to `path` (`/engine.io/`), as the reference client does.
   * @default true
   */
  addTrailingSlash?: boolean;
  /**
   * Add a cache-busting timestamp parameter. Polling requests are always stamped unless this is
   * explicitly `false`; WebSocket URLs only when it is `true` (engine.io-client semantics).
   * @default undefined
   */
  timestampRequests?: boolean | undefined;
  /**
   * Name of the timestamp query parameter.
   * @default "t"
   */
  timestampParam?: string;
  /**
   * Timeout of each polling request in ms; 0 derives it: 20 s for the handshake, then
   * `pingInterval + pingTimeout + 5 s` so a held GET never times out before the heartbeat does
   * (miniprogram-platforms §2.7 rule 4).
   * @default 0
   */
  requestTimeout?: number;
  /**
   * Text-only binary, as engine.io-client's option: every request carries `b64=1`, so the server
   * sends binary as `b<base64>` text (on WebSocket too), and the client sends binary as
   * `b<base64>` text frames on WebSocket (polling always does). For hosts or proxies that
   * cannot carry binary frames; base64 costs a third more bytes.
   * @default false
   */
  forceBase64?: boolean;
  /**
   * WebSocket subprotocols.
   * @default []
   */
  protocols?: readonly string[];
  /**
   * Per-transport overrides of `query`, `extraHeaders` and `path`.
   * @default {}
   */
  transportOptions?: Partial<Record<TransportName, TransportOverrides>>;
  /**
   * Close the connection when the platform reports the network lost (browsers: `offline`).
   * @default true
   */
  closeOnOffline?: boolean;
  /**
   * Close the connection silently when the platform reports the page unloading (browsers:
   * `beforeunload`), so no `disconnect` event runs while the page goes away (Firefox closes
   * WebSockets there, Chrome does not). As engine.io-client 6.6 / socket.io-client 4.8.
   * @default false
   */
  closeOnBeforeunload?: boolean;
}

/** Options with every default applied. */
export type ResolvedEngineOptions = Required<Omit<EngineOptions, "timestampRequests">> & {
  timestampRequests: boolean | undefined;
};

/** The defaults, frozen. */
export const ENGINE_DEFAULTS = Object.freeze({
  path: "/engine.io",
  transports: Object.freeze(["polling", "websocket"] as const),
  upgrade: true,
  rememberUpgrade: false,
  tryAllTransports: false,
  withCredentials: false,
  addTrailingSlash: true,
  timestampRequests: undefined,
  timestampParam: "t",
  requestTimeout: 0,
  forceBase64: false,
  closeOnOffline: true,
  closeOnBeforeunload: false,
});

/**
 * Applies the defaults and validates; conflicting or invalid options throw a `TypeError`. The
 * user's objects are used as given, not copied (each connection copies the query it sends).
 */
export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  const o = withDefaults<ResolvedEngineOptions>(
    {
      ...ENGINE_DEFAULTS,
      platform: options.platform,
      query: {},
      extraHeaders: {},
      protocols: [],
      transportOptions: {},
      // Fresh per socket: the socket writes it.
      upgradeMemory: { websocketSucceeded: false },
    },
    options,
  );
  const known: readonly string[] = ENGINE_DEFAULTS.transports;
  if (!o.transports.length || !o.transports.every((t) => known.includes(t))) {
    throw new TypeError('The transports option must name "polling", "websocket" or both.');
  }
  if (!(o.requestTimeout >= 0)) throw new TypeError("The requestTimeout option must be a number of milliseconds.");
  return o;
}
