/**
 * Simulated host API objects (`wx`-shaped, `my`, uni-app, Taro) over real sockets, for the
 * platform tests and the vm-context test. Each returns the API object, its {@link SimState}
 * (fault controls) and the requests it has seen.
 */
import { SimState, type SimOptions } from "./sim-state.js";
import { SimSocketTask, type ConnectOption, type SocketDialect } from "./sim-socket.js";
import {
  simRequest,
  type RequestDialect,
  type RequestOption,
  type SeenRequest,
  type SimRequestTask,
} from "./sim-request.js";
import {
  alipayFlatSocket,
  alipayNestedSocket,
  alipayRequest,
  ttRequest,
  ttSocket,
  uniAppRequest,
  uniAppSocket,
  uniH5Socket,
  wxRequest,
  wxSocket,
  type AlipayBinary,
} from "./dialects.js";

type Fn = (result?: any) => void;

/** A simulated host: the API object to inject, its state, and what it was asked. */
export interface SimHost<Api = Record<string, any>> {
  api: Api;
  state: SimState;
  requests: SeenRequest[];
}

function lifecycleApi(state: SimState): Record<string, (listener: Fn) => void> {
  return {
    onAppShow: (l) => state.on("appShow", l),
    offAppShow: (l) => state.off("appShow", l),
    onAppHide: (l) => state.on("appHide", l),
    offAppHide: (l) => state.off("appHide", l),
    onNetworkStatusChange: (l) => state.on("networkStatusChange", l),
    offNetworkStatusChange: (l) => state.off("networkStatusChange", l),
  };
}

/** Options of a `wx`-shaped host sim. */
export interface WxLikeOptions extends SimOptions {
  socket?: SocketDialect;
  request?: RequestDialect;
  /** Leave out `onAppShow`/`onAppHide` (hosts or builds without them). */
  noAppEvents?: boolean;
}

/** `wx` (and `qq`, `swan`, `ks`, `jd`, which copy its shape): SocketTask, request, app and network events. */
export function createWxLikeHost(options: WxLikeOptions = {}): SimHost {
  const state = new SimState(options);
  const requests: SeenRequest[] = [];
  const socket = options.socket ?? wxSocket;
  const request = options.request ?? wxRequest;
  const events = lifecycleApi(state);
  if (options.noAppEvents) {
    delete events.onAppShow;
    delete events.offAppShow;
    delete events.onAppHide;
    delete events.offAppHide;
  }
  const api = {
    connectSocket: (option: ConnectOption) => new SimSocketTask(state, socket, option),
    request: (option: RequestOption) => simRequest(state, request, option, requests),
    ...events,
    getNetworkType: (option: { success?: Fn; complete?: Fn }) =>
      state.later(() => {
        const res = { networkType: state.online ? "wifi" : "none", errMsg: "getNetworkType:ok" };
        option.success?.(res);
        option.complete?.(res);
      }),
  };
  return { api, state, requests };
}

/** `tt`: string close codes, `readyState`, `errNo`. */
export function createTtHost(options: SimOptions = {}): SimHost {
  return createWxLikeHost({ ...options, socket: ttSocket, request: ttRequest });
}

/** Options of the Alipay sim. */
export interface AlipayOptions extends SimOptions {
  /** Payload shape of task events. @default "nested" */
  payload?: "nested" | "flat";
  /** Binary carriage. @default "base64" */
  binary?: AlipayBinary;
  /** An old client without SocketTask: `multiple` is ignored, only the global socket exists. @default false */
  legacyOnly?: boolean;
  /** `my.request` sends statuses ≥ 400 to `fail` (error 19). @default false */
  httpErrorFails?: boolean;
}

/** `my`: `multiple: true` tasks, the legacy global socket, base64 binary, `headers`/`status`. */
export function createAlipayHost(options: AlipayOptions = {}): SimHost {
  const binary = options.binary ?? "base64";
  const state = new SimState(options);
  const requests: SeenRequest[] = [];
  const taskDialect = options.payload === "flat" ? alipayFlatSocket(binary) : alipayNestedSocket(binary);
  const globalDialect = alipayFlatSocket(binary);
  const request = alipayRequest(options.httpErrorFails ?? false);
  const globals = { open: [] as Fn[], message: [] as Fn[], error: [] as Fn[], close: [] as Fn[] };
  let current: SimSocketTask | undefined;
  const forward = (kind: keyof typeof globals) => (payload: unknown) => {
    for (const l of [...globals[kind]]) l(payload);
  };
  const off = (kind: keyof typeof globals) => (l?: Fn) => {
    if (l === undefined) globals[kind].length = 0;
    else if (globals[kind].includes(l)) globals[kind].splice(globals[kind].indexOf(l), 1);
  };
  const api = {
    connectSocket(option: ConnectOption & { multiple?: boolean }) {
      if (option.multiple === true && !options.legacyOnly) return new SimSocketTask(state, taskDialect, option);
      // The default (and old clients): one global socket; a new one closes the previous.
      current?.close({ code: 1000, reason: "" });
      const task = new SimSocketTask(state, globalDialect, option);
      current = task;
      task.onOpen(forward("open"));
      task.onMessage(forward("message"));
      task.onError(forward("error"));
      task.onClose(forward("close"));
      return undefined;
    },
    onSocketOpen: (l: Fn) => void globals.open.push(l),
    onSocketMessage: (l: Fn) => void globals.message.push(l),
    onSocketError: (l: Fn) => void globals.error.push(l),
    onSocketClose: (l: Fn) => void globals.close.push(l),
    offSocketOpen: off("open"),
    offSocketMessage: off("message"),
    offSocketError: off("error"),
    offSocketClose: off("close"),
    sendSocketMessage(option: { data: unknown; isBuffer?: boolean; success?: Fn; fail?: Fn; complete?: Fn }) {
      if (current === undefined) {
        state.later(() => option.fail?.({ error: 10, errorMessage: "not open, cannot send" }));
        return;
      }
      current.send(option);
    },
    closeSocket(option: { success?: Fn; fail?: Fn; complete?: Fn } = {}) {
      current?.close(option);
    },
    request: (option: RequestOption) => simRequest(state, request, option, requests),
    ...lifecycleApi(state),
  };
  return { api, state, requests };
}

/** Which uni-app build is simulated. */
export type UniFlavor = "mp-weixin" | "h5" | "app";

/**
 * uni's callback-or-Promise rule, written as `@dcloudio/types`' `PromisifySuccessResult` (same
 * nesting, so `typings-check-frameworks.ts` can compare the two): the task `R` when `success`,
 * `fail` or `complete` is given, else a Promise of the success payload `S`.
 */
export type UniResult<P, R, S> = P extends { success: any }
  ? R
  : P extends { fail: any }
    ? R
    : P extends { complete: any }
      ? R
      : Promise<S>;

/** uni's `request` success payload (the WeChat dialect's; `data` is what `dataType` made of the body). */
export interface UniRequestSuccess {
  data: string | Record<string, any> | ArrayBuffer;
  statusCode: number;
  header: Record<string, string>;
  cookies: string[];
  errMsg: string;
}

/** The typed part of the uni sim's API object. */
export interface UniSimApi {
  connectSocket<P extends ConnectOption>(option: P): UniResult<P, SimSocketTask, unknown>;
  request<P extends RequestOption>(option: P): UniResult<P, SimRequestTask, UniRequestSuccess>;
}

/**
 * `uni`: the callback-or-Promise rule on `connectSocket`/`request` (a task only when a callback
 * is passed), over a WeChat host (mini-program build), a browser-WebSocket wrapper (H5: `{}`
 * payloads, headers ignored) or the App plugin (`{}` payloads, error without close, urlencoded
 * POST default). App events exist on the mini-program build only.
 */
export function createUniHost(flavor: UniFlavor, options: SimOptions = {}): SimHost {
  const inner = createWxLikeHost({
    ...options,
    ...(flavor === "h5" ? { socket: uniH5Socket, dropHeaders: true } : {}),
    ...(flavor === "app" ? { socket: uniAppSocket, request: uniAppRequest } : {}),
    noAppEvents: flavor !== "mp-weixin",
  });
  const promisify =
    <T extends { success?: Fn; fail?: Fn; complete?: Fn }>(fn: (option: T) => unknown) =>
    (option: T): unknown => {
      if (option.success !== undefined || option.fail !== undefined || option.complete !== undefined) {
        return fn(option);
      }
      return new Promise((resolve, reject) => void fn({ ...option, success: resolve, fail: reject }));
    };
  const base = inner.api;
  // `promisify` decides at run time; UniSimApi states the rule it follows for the type check.
  const typed: UniSimApi = {
    connectSocket: promisify(base.connectSocket as (o: ConnectOption) => unknown) as UniSimApi["connectSocket"],
    request: promisify(base.request as (o: RequestOption) => unknown) as UniSimApi["request"],
  };
  return { api: { ...base, ...typed }, state: inner.state, requests: inner.requests };
}

/** Which Taro target is simulated. */
export type TaroTarget = "weapp" | "alipay";

/** `Taro.request`'s success payload; on Alipay Taro adds `statusCode`/`header` to `my.request`'s (no `errMsg`). */
export interface TaroRequestSuccess {
  data: unknown;
  statusCode: number;
  header: Record<string, string>;
  errMsg?: string;
  cookies?: string[];
}

/** `Taro.request`'s task: a Promise of the success payload with the native task's methods. */
export type TaroRequestTask = Promise<TaroRequestSuccess> &
  Pick<SimRequestTask, "abort" | "onHeadersReceived" | "offHeadersReceived">;

/** The typed part of the Taro sim's API object. */
export interface TaroSimApi {
  connectSocket(option: ConnectOption): Promise<SimSocketTask | AlipayShimTask>;
  request(option: RequestOption): TaroRequestTask;
  getEnv(): "ALIPAY" | "WEAPP";
}

/**
 * `Taro`: `connectSocket` returns `Promise<SocketTask>` resolved in the native `success`. On the
 * Alipay target the task is Taro's shim over the global single socket (close drops code and
 * reason) and `request` maps `header`→`headers`, `status`→`statusCode`.
 */
export function createTaroHost(target: TaroTarget, options: AlipayOptions = {}): SimHost {
  const inner = target === "weapp" ? createWxLikeHost(options) : createAlipayHost(options);
  const native = inner.api;
  const connectSocket = (option: ConnectOption) =>
    new Promise<SimSocketTask | AlipayShimTask>((resolve, reject) => {
      const settle = {
        success: (res: unknown) => {
          option.success?.(res);
          resolve(target === "weapp" ? (task as SimSocketTask) : alipayShimTask(native));
        },
        fail: (err: unknown) => {
          option.fail?.(err);
          reject(err); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- hosts reject with their payloads
        },
      };
      const task: unknown = native.connectSocket({ ...option, ...settle });
    });
  const request = (option: RequestOption): TaroRequestTask => {
    let native_: SimRequestTask | undefined;
    const promise = new Promise<TaroRequestSuccess>((resolve, reject) => {
      const mapped = target === "alipay" ? { ...option, headers: option.header, header: undefined } : { ...option };
      const task = native.request({
        ...mapped,
        success: (res: any) => {
          const out: TaroRequestSuccess =
            target === "alipay" ? { ...res, statusCode: res.status, header: res.headers } : res;
          option.success?.(out);
          resolve(out);
        },
        fail: (err: unknown) => {
          option.fail?.(err);
          reject(err); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- hosts reject with their payloads
        },
      });
      native_ = task as SimRequestTask;
    });
    return Object.assign(promise, {
      abort: () => native_?.abort(),
      onHeadersReceived: (l: Parameters<SimRequestTask["onHeadersReceived"]>[0]) => native_?.onHeadersReceived(l),
      offHeadersReceived: (l?: Parameters<SimRequestTask["offHeadersReceived"]>[0]) => native_?.offHeadersReceived(l),
    });
  };
  const { connectSocket: _c, request: _r, ...rest } = native;
  const getEnv = (): "ALIPAY" | "WEAPP" => (target === "alipay" ? "ALIPAY" : "WEAPP");
  const typed: TaroSimApi = { connectSocket, request, getEnv };
  return { api: { ...rest, ...typed }, state: inner.state, requests: inner.requests };
}

/** Taro's Alipay SocketTask shim (methods over the global `my.*Socket*` functions). */
export interface AlipayShimTask {
  send(option: { data: unknown; isBuffer?: boolean; success?: Fn; fail?: Fn; complete?: Fn }): void;
  /** `code`/`reason` are dropped: `my.closeSocket()` takes neither. */
  close(option?: { code?: number; reason?: string; success?: Fn; fail?: Fn; complete?: Fn }): void;
  onOpen(listener: Fn): void;
  onMessage(listener: Fn): void;
  onError(listener: Fn): void;
  /** The shim calls the listener with `{}`: no code, no reason. */
  onClose(listener: (result: { code?: number; reason?: string }) => void): void;
}

function alipayShimTask(my: Record<string, any>): AlipayShimTask {
  return {
    send: (option) => my.sendSocketMessage(option),
    close: (option) => my.closeSocket({ success: option?.success, fail: option?.fail }),
    onOpen: (l) => my.onSocketOpen(l),
    onMessage: (l) => my.onSocketMessage(l),
    onError: (l) => my.onSocketError(l),
    onClose: (l) => my.onSocketClose(() => l({})),
  };
}
