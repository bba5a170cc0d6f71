/**
 * The device's network as the simulated React Native host sees it: online or offline, the app
 * in the foreground or the background, and a host-wide cookie store (RN's native networking
 * keeps cookies: NSHTTPCookieStorage on iOS, used by XHR with `withCredentials` and by the
 * WebSocket handshake). Sockets register here so a fault reaches all of them.
 */
export interface LiveSocket {
  /** The link went away without a close handshake (offline, app suspended). */
  freeze(): void;
  /** The OS killed the connection (background suspension): RN reports `error` then `close`. */
  kill(message: string): void;
}

export class RNNetwork {
  online = true;
  /** While true (app suspended in the background) every new connection or request fails. */
  suspended = false;
  readonly sockets = new Set<LiveSocket>();
  readonly #cookies = new Map<string, Map<string, string>>();
  /** Connections and requests refused because of `online`/`suspended`. */
  refusals = 0;

  /** The error message a new connection gets now, or `undefined` when it may proceed. */
  refusal(): string | undefined {
    if (!this.online) return "The Internet connection appears to be offline.";
    if (this.suspended) return "Software caused connection abort";
    return undefined;
  }

  storeCookies(host: string, setCookie: string | string[] | undefined): void {
    if (setCookie === undefined) return;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    this.#cookies.set(host, jar);
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const pair = line.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  cookieHeader(host: string): string | undefined {
    const jar = this.#cookies.get(host);
    if (jar === undefined || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}
