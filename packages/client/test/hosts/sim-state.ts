/**
 * The state one simulated mini-program host shares between its sockets and requests: the
 * socket cap and live-task count, app foreground/background with the WeChat background kill,
 * suspension after a kill (and a lag after `foreground()`), network on/off, the URL rules
 * (wss-only, domain whitelist), and the app/network listeners. Every callback the host makes is
 * asynchronous (a macrotask later), as on the real hosts (miniprogram-platforms §5.3).
 */

/** Options shared by every simulated host. */
export interface SimOptions {
  /** Most live sockets (connecting, open, closing); the next `connectSocket` fails. @default 5 */
  maxSockets?: number;
  /** The `errMsg` detail when over the cap (undocumented on real hosts). @default "exceed max task count" */
  capMessage?: string;
  /** What `close()` on a connecting task does (WeChat's documented quirk is "ignored"). @default "ignored" */
  closeBeforeOpen?: "ignored" | "deferred" | "immediate";
  /** Refuse non-`wss:`/`https:` URLs, as release builds do. @default false (DevTools "skip domain check") */
  enforceSecure?: boolean;
  /** Hostnames allowed; `undefined` allows all (DevTools). @default undefined */
  allowedDomains?: readonly string[];
  /** Milliseconds in the background before sockets and requests are interrupted. @default 5000 */
  backgroundKillMs?: number;
  /** After `foreground()`, network calls still fail as suspended for this long. @default 0 */
  resumeLagMs?: number;
  /** The kill closes sockets without any `onClose` (the zombie case). @default false */
  silentKill?: boolean;
  /** Socket handshake headers are dropped (uni H5, swan Web 态). @default false */
  dropHeaders?: boolean;
  /** Sockets never report open (a blocked network that neither connects nor fails). @default false */
  neverOpen?: boolean;
  /** Sockets already held by other SDKs in the app (uni-push, log echo…). @default 0 */
  occupiedSockets?: number;
  /** `connectSocket` fails (sockets blocked, e.g. a proxy that only passes HTTP). @default false */
  refuseSockets?: boolean;
}

/** A live simulated socket, as the state tracks it. */
export interface LiveSocket {
  /** Ends the connection now (the host's kill/offline): `notify` false = no events at all. */
  kill(code: number, reason: string, notify: boolean): void;
}

/** A running simulated request. */
export interface LiveRequest {
  interrupt(errMsg: string): void;
}

type Listener = (result: unknown) => void;

/** Host-wide state and fault controls. */
export class SimState {
  readonly options: Required<Omit<SimOptions, "allowedDomains">> & { allowedDomains?: readonly string[] };
  readonly sockets = new Set<LiveSocket>();
  readonly requests = new Set<LiveRequest>();
  /** Every `connectSocket` call, with the handshake headers it was given. */
  readonly connects: { url: string; header: Record<string, string> | undefined }[] = [];
  /** The next polling request goes out with an unknown `sid` (the server forgot the session). */
  forgetSession = false;
  /** Highest number of live sockets seen. */
  peakSockets = 0;
  foregrounded = true;
  online = true;
  #suspendedUntil = 0;
  #suspended = false;
  #killTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(options: SimOptions = {}) {
    this.options = {
      maxSockets: 5,
      capMessage: "exceed max task count",
      closeBeforeOpen: "ignored",
      enforceSecure: false,
      backgroundKillMs: 5000,
      resumeLagMs: 0,
      silentKill: false,
      dropHeaders: false,
      neverOpen: false,
      refuseSockets: false,
      occupiedSockets: 0,
      ...options,
    };
    for (let i = 0; i < this.options.occupiedSockets; i++) this.sockets.add({ kill: () => {} });
  }

  /** Runs `fn` a macrotask later (host callbacks are never synchronous). */
  later(fn: () => void): void {
    setTimeout(fn, 0);
  }

  /** Why a network call must fail now, or `undefined`. */
  refusal(url: string, api: string): string | undefined {
    if (this.#suspended || Date.now() < this.#suspendedUntil) {
      return `${api}:fail network api interrupted in suspend state (runningState=suspend)`;
    }
    if (!this.online) return `${api}:fail network is offline`;
    const match = /^(\w+):\/\/([^/:?#]+)/.exec(url);
    if (match === null) return `${api}:fail invalid url "${url}"`;
    const scheme = match[1]!.toLowerCase();
    if (this.options.enforceSecure && scheme !== "wss" && scheme !== "https") {
      return `${api}:fail url scheme must be wss or https`;
    }
    const allowed = this.options.allowedDomains;
    if (allowed !== undefined && !allowed.includes(match[2]!)) {
      return `${api}:fail url not in domain list`;
    }
    return undefined;
  }

  /** Registers an app/network listener (`onAppShow`, `onAppHide`, `onNetworkStatusChange`). */
  on(event: string, listener: Listener): void {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off(event: string, listener?: Listener): void {
    if (listener === undefined) this.#listeners.delete(event);
    else this.#listeners.get(event)?.delete(listener);
  }

  listenerCount(event: string): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  #fire(event: string, result: unknown): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) this.later(() => listener(result));
  }

  /** The app goes to the background: `onAppHide`; after `backgroundKillMs` everything is interrupted. */
  background(): void {
    if (!this.foregrounded) return;
    this.foregrounded = false;
    this.#fire("appHide", {});
    this.#killTimer = setTimeout(() => this.kill(), this.options.backgroundKillMs);
  }

  /** The WeChat background kill: sockets close `{1000, "interrupted"}`, requests fail, calls are refused. */
  kill(): void {
    this.#suspended = true;
    for (const socket of [...this.sockets]) socket.kill(1000, "interrupted", !this.options.silentKill);
    for (const request of [...this.requests]) request.interrupt("request:fail interrupted");
  }

  /** The app comes back: `onAppShow`; network calls work again after `resumeLagMs`. */
  foreground(): void {
    if (this.foregrounded) return;
    this.foregrounded = true;
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
    this.#killTimer = undefined;
    if (this.#suspended) this.#suspendedUntil = Date.now() + this.options.resumeLagMs;
    this.#suspended = false;
    this.#fire("appShow", { path: "pages/index/index", scene: 1001, query: {} });
  }

  /** Network on/off: `onNetworkStatusChange`; going offline drops every socket (1006) and request. */
  setNetwork(isConnected: boolean, networkType = isConnected ? "wifi" : "none"): void {
    this.online = isConnected;
    if (!isConnected) {
      for (const socket of [...this.sockets]) socket.kill(1006, "abnormal closure", true);
      for (const request of [...this.requests]) request.interrupt("request:fail network is offline");
    }
    this.#fire("networkStatusChange", { isConnected, networkType });
  }

  /** Every socket ends abruptly (1006), as when the link to the server breaks. */
  dropSockets(): void {
    for (const socket of [...this.sockets]) socket.kill(1006, "abnormal closure", true);
  }

  /** Closes timers; call at the end of a test. */
  dispose(): void {
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
    for (const socket of [...this.sockets]) socket.kill(1001, "disposed", false);
    for (const request of [...this.requests]) request.interrupt("request:fail abort");
  }
}
