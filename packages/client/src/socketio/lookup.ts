/**
 * `io(url, options)` (socket.io-client's `lookup`, protocol doc §1.8) without a module-global
 * Manager cache. Every call makes a new Manager unless `options.manager` names one to share:
 * that Manager is reused when `forceNew` is off, `multiplex` is on and it has no socket for
 * the namespace yet (the same rules socket.io-client applies to its cached Managers).
 *
 * @example
 * const main = io("http://localhost:3000");
 * const admin = io("http://localhost:3000/admin", { manager: main.io }); // one connection
 * // or: const admin = main.io.socket("/admin");
 */
import type { Platform } from "../platform/contract.js";
import { Manager } from "./manager.js";
import type { ManagerOptions, SocketOptions } from "./options.js";
import type { Socket } from "./socket.js";

/** Options of `io()`: Manager options (the platform may be left to the entry point), socket options, sharing. */
export interface IoOptions extends Omit<ManagerOptions, "platform">, SocketOptions {
  /** The host adapter; the entry point (`@omnio/client/node`, `/browser`) supplies its own by default. */
  platform?: Platform;
  /**
   * A Manager to share (multiplexing is explicit: there is no hidden cache).
   * @default undefined (a new Manager)
   */
  manager?: Manager;
  /**
   * Always create a new Manager, even when `manager` is given.
   * @default false
   */
  forceNew?: boolean;
  /**
   * Allow sharing `manager`; `false` acts as `forceNew`.
   * @default true
   */
  multiplex?: boolean;
}

/** The parts of an `io()` URL. */
export interface IoUrl {
  /** `scheme://host[:port]`. */
  origin: string;
  /** The namespace: the URL's path, `/` when empty. */
  nsp: string;
  /** The URL's query parameters. */
  query: Record<string, string>;
}

const IO_URL_RE = /^(https?|wss?):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/i;

/** Parses an `io()` URL without the `URL` global; a URL without scheme is taken as `https://`. */
export function parseIoUrl(uri: string): IoUrl {
  const match = IO_URL_RE.exec(uri.includes("://") ? uri : "https://" + uri.replace(/^\/\//, ""));
  if (match === null) throw new TypeError(`The URL "${uri}" is not an http(s) or ws(s) URL.`);
  const query: Record<string, string> = {};
  for (const pair of (match[4] ?? "").split("&")) {
    const [key, ...value] = pair.split("=");
    if (pair) query[decodeURIComponent(key!)] = decodeURIComponent(value.join("=").replace(/\+/g, " "));
  }
  return { origin: `${match[1]!.toLowerCase()}://${match[2]!}`, nsp: match[3] || "/", query };
}

/** The `io()` function of an entry point. */
export interface IoFunction {
  (options?: IoOptions): Socket;
  (uri: string | undefined, options?: IoOptions): Socket;
}

/**
 * Builds the `io()` of an entry point: `defaultUri` supplies the URL when none is given (the
 * browser's `location`), `defaultPlatform` the host adapter when `options.platform` is absent.
 */
export function createIo(defaultPlatform: () => Platform, defaultUri?: () => string | undefined): IoFunction {
  function io(uriOrOptions?: string | IoOptions, maybeOptions?: IoOptions): Socket {
    const uri = typeof uriOrOptions === "string" ? uriOrOptions : defaultUri?.();
    const options = (typeof uriOrOptions === "object" ? uriOrOptions : maybeOptions) ?? {};
    if (uri === undefined) throw new TypeError("io() needs a URL on this platform.");
    const { origin, nsp, query } = parseIoUrl(uri);
    // Manager, engine and socket each read only their own options from `options`.
    const shared = options.manager;
    if (
      shared !== undefined &&
      options.forceNew !== true &&
      options.multiplex !== false &&
      !shared.namespaces().includes(nsp)
    ) {
      return shared.socket(nsp, options);
    }
    const manager = new Manager(origin, {
      ...options,
      query: options.query ?? query,
      platform: options.platform ?? defaultPlatform(),
    });
    return manager.socket(nsp, options);
  }
  return io;
}
