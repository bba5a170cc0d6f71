/**
 * The shared mini-program platform: one factory for every host whose network API follows
 * WeChat's shape (`wx`, `qq`, `tt`, `swan`, `ks`, `jd`, uni-app's `uni`, Alipay's `my` with
 * `multiple: true`, Taro's Promise-returning `connectSocket`). Host folders only choose the API
 * object, its name and a few switches. Only an adapter to the `Platform` contract.
 */
import { standardToArrayBuffer } from "../../platform/binary.js";
import type {
  HttpHandlers,
  HttpRequest,
  Platform,
  PlatformLifecycle,
  PlatformSocket,
  SocketHandlers,
  SocketRequest,
} from "../../platform/contract.js";
import type { BinaryMode } from "./binary.js";
import { CookieStore } from "./cookie-store.js";
import { MiniProgramError } from "./errors.js";
import { isSocketTask, type HostSocketTask, type MiniProgramApi } from "./host-api.js";
import { hostRequest, type HeaderField } from "./host-request.js";
import { hostLifecycle } from "./lifecycle.js";
import { SocketRegistry } from "./socket-registry.js";
import { TaskSocket, type HostTimers } from "./task-socket.js";

/** Options every mini-program platform accepts. */
export interface MiniProgramPlatformOptions {
  /**
   * Most host sockets this platform keeps at once (opening, open or closing). Hosts cap sockets
   * per app (5 documented; 2 reported on some WeChat devices; other SDKs use slots too). One
   * Manager uses one socket for all its namespaces, plus a second one briefly during an upgrade
   * or while an old socket finishes closing.
   * @default 5
   */
  maxSockets?: number;
  /**
   * Milliseconds to wait for a socket to open (or fail) before failing it: some hosts never
   * report either for an unreachable or blocked server.
   * @default 30000
   */
  openTimeout?: number;
  /**
   * Milliseconds to wait for the host to confirm a close before counting the socket as gone.
   * @default 5000
   */
  closeTimeout?: number;
  /**
   * Keep cookies from polling responses and replay them (sticky-session load balancers; the
   * hosts keep none).
   * @default true
   */
  cookies?: boolean;
  /**
   * Timers; the host's globals by default.
   * @default { setTimeout, clearTimeout }
   */
  timers?: HostTimers;
  /**
   * Quick `connectSocket` retries when the host refuses because the app is still suspended
   * (WeChat, right after `onAppShow`), before the failure reaches the Manager's backoff.
   * @default 3
   */
  suspendRetries?: number;
  /**
   * Milliseconds between those retries.
   * @default 250
   */
  suspendRetryDelay?: number;
  /**
   * Lifecycle signals to use instead of the host's app/network events: e.g. uni-app H5 or App
   * builds without `uni.onAppShow` (wire `visibilitychange` or the App's `onShow`/`onHide`).
   * @default the host's `onAppShow`/`onAppHide`/`onNetworkStatusChange`
   */
  lifecycle?: PlatformLifecycle;
  /**
   * Wall clock in milliseconds, for heartbeat deadlines (injectable for tests).
   * @default Date.now
   */
  now?: () => number;
}

/** What a host folder tells the shared factory. */
export interface HostVariant {
  /** The platform name, e.g. `"wechat"`. */
  name: string;
  /** The API object's name in messages, e.g. `"wx"`. */
  apiName: string;
  api: MiniProgramApi;
  /** How the request header option is spelled. @default "header" */
  headerField?: HeaderField;
  /** How binary frames are sent. @default "arraybuffer" */
  binary?: BinaryMode;
  /** Extra `connectSocket` options (Alipay: `multiple: true`). */
  connectExtras?: Readonly<Record<string, unknown>>;
  /**
   * Called when `connectSocket` returned no task and no Promise (Alipay's legacy global socket,
   * already connecting): a task-shaped view of that connection, or `undefined` to fail with
   * UNSUPPORTED_HOST.
   */
  legacyTask?(): HostSocketTask | undefined;
}

/** The defaults of {@link MiniProgramPlatformOptions}. */
export const MINIPROGRAM_DEFAULTS = Object.freeze({
  maxSockets: 5,
  openTimeout: 30_000,
  closeTimeout: 5_000,
  suspendRetries: 3,
  suspendRetryDelay: 250,
});

// The hosts' global timers (every mini-program runtime has them; this package loads no DOM types).
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

function defaultTimers(): HostTimers {
  return { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle) };
}

/** Builds a platform for a WeChat-shaped host. */
export function createHostPlatform(variant: HostVariant, options: MiniProgramPlatformOptions = {}): Platform {
  const api = variant.api;
  if (typeof api !== "object" || api === null || typeof api.connectSocket !== "function") {
    throw new MiniProgramError("UNSUPPORTED_HOST", `${variant.apiName}.connectSocket`, "API object missing");
  }
  const maxSockets = options.maxSockets ?? MINIPROGRAM_DEFAULTS.maxSockets;
  if (!(maxSockets >= 1)) throw new TypeError("The maxSockets option must be at least 1.");
  const timers = options.timers ?? defaultTimers();
  const registry = new SocketRegistry(maxSockets);
  const cookies = options.cookies === false ? undefined : new CookieStore();
  const requestConfig = { api: `${variant.apiName}.request`, headerField: variant.headerField ?? "header", cookies };
  const socketApi = `${variant.apiName}.connectSocket`;

  /** One `connectSocket` call for `socket` (again after a suspended refusal). */
  const connect = (socket: TaskSocket, request: SocketRequest, header: Record<string, string>): void => {
    const result = api.connectSocket({
      url: request.url,
      header,
      ...(request.protocols.length > 0 ? { protocols: [...request.protocols] } : {}),
      ...variant.connectExtras,
      // Passing a callback is also what makes uni-app return a task (miniprogram-platforms §0.2).
      success: () => {},
      fail: (payload) => socket.fail(payload),
    });
    if (isSocketTask(result)) socket.attach(result);
    else if (isThenable(result)) {
      // Taro: the task arrives in the host's `success`, before `onOpen`.
      result.then(
        (task) => (isSocketTask(task) ? socket.attach(task) : socket.fail(noTaskError(socketApi))),
        (error: unknown) => socket.fail(error),
      );
    } else {
      const legacy = variant.legacyTask?.();
      if (legacy !== undefined) socket.attach(legacy);
      else socket.fail(noTaskError(socketApi));
    }
  };

  const createSocket = (request: SocketRequest, handlers: SocketHandlers): PlatformSocket => {
    const release = registry.acquire();
    if (release === undefined) {
      throw new MiniProgramError("SOCKET_LIMIT", socketApi, `maxSockets ${registry.max} reached`);
    }
    const header: Record<string, string> = { ...request.headers };
    const cookie = cookies?.header();
    if (cookie !== undefined && header.cookie === undefined) header.cookie = cookie;
    const socket = new TaskSocket(
      {
        api: socketApi,
        timers,
        openTimeout: options.openTimeout ?? MINIPROGRAM_DEFAULTS.openTimeout,
        closeTimeout: options.closeTimeout ?? MINIPROGRAM_DEFAULTS.closeTimeout,
        binary: variant.binary ?? "arraybuffer",
        release,
        suspendRetries: options.suspendRetries ?? MINIPROGRAM_DEFAULTS.suspendRetries,
        suspendRetryDelay: options.suspendRetryDelay ?? MINIPROGRAM_DEFAULTS.suspendRetryDelay,
        reconnect: (again) => {
          try {
            connect(again, request, header);
          } catch (error) {
            again.fail(error instanceof Error ? error.message : error);
          }
        },
      },
      handlers,
    );
    try {
      connect(socket, request, header);
    } catch (error) {
      release();
      throw error;
    }
    return socket;
  };

  return {
    name: variant.name,
    createSocket,
    request:
      typeof api.request === "function"
        ? (request: HttpRequest, handlers: HttpHandlers) => hostRequest(api, requestConfig, request, handlers)
        : undefined,
    setTimeout: (callback, ms) => timers.setTimeout(callback, ms),
    clearTimeout: (handle) => timers.clearTimeout(handle),
    now: options.now ?? (() => Date.now()),
    toArrayBuffer: standardToArrayBuffer,
    lifecycle: options.lifecycle ?? hostLifecycle(api),
    ...randomSource(api),
  };
}

/**
 * `randomBytes` from the host's `getRandomValues` (wx ≥ 2.15.0): that API is asynchronous, so a
 * small pool is filled ahead and refilled when drawn; bytes beyond the pool come from
 * `Math.random` (the core only names things with them, nothing secret). Absent when the host
 * has no `getRandomValues`.
 */
function randomSource(api: MiniProgramApi): Pick<Platform, "randomBytes"> {
  const get = (api as { getRandomValues?: unknown }).getRandomValues;
  if (typeof get !== "function") return {};
  let pool: number[] = [];
  let filling = false;
  const fill = (): void => {
    if (filling) return;
    filling = true;
    try {
      (get as (option: object) => unknown).call(api, {
        length: 64,
        success: (result: { randomValues?: unknown }) => {
          filling = false;
          if (result.randomValues instanceof ArrayBuffer) pool = [...new Uint8Array(result.randomValues)];
        },
        fail: () => (filling = false),
      });
    } catch {
      filling = false;
    }
  };
  fill();
  return {
    randomBytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = pool.pop() ?? Math.floor(Math.random() * 256);
      fill();
      return out;
    },
  };
}

function noTaskError(api: string): MiniProgramError {
  return new MiniProgramError("UNSUPPORTED_HOST", api, "no SocketTask returned");
}

function isThenable(value: unknown): value is PromiseLike<HostSocketTask> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
