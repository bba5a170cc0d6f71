/**
 * The structural shapes of the mini-program network APIs this folder adapts, written from the
 * official typings (`miniprogram-api-typings` `WechatMiniprogram.SocketTask`/`RequestOption`,
 * `@mini-types/my`, `@douyin-microapp/typings`, `@dcloudio/types`, `@tarojs/taro`;
 * miniprogram-platforms §1–§2). Only the members the adapters touch are declared, and every
 * payload field is optional because the hosts disagree on them (§1.9).
 */

/** `{ errMsg }` (WeChat family) or `{ error, errorMessage }` (Alipay): a host failure payload. */
export interface HostFailure {
  errMsg?: string;
  errorMessage?: string;
  error?: number | string;
  errNo?: number;
}

/** What `connectSocket` is given (the union of the hosts' option names). */
export interface ConnectSocketOptions {
  url: string;
  header?: Record<string, string>;
  protocols?: string[];
  /** Alipay: return a SocketTask instead of driving the global socket. */
  multiple?: boolean;
  /** Required by uni-app to get a task rather than a Promise (miniprogram-platforms §0.2). */
  success?(result: unknown): void;
  fail?(result: HostFailure): void;
  complete?(result: unknown): void;
}

/** Message payload: `{ data }` (WeChat family) or `{ data: { data, isBuffer } }` (Alipay typing). */
export interface SocketMessagePayload {
  data?: unknown;
  isBuffer?: boolean;
}

/** Close payload: `{ code, reason }`; `code` may be a string (tt) or absent (Alipay, uni H5/App). */
export interface SocketClosePayload {
  code?: number | string;
  reason?: string;
  errMsg?: string;
  data?: unknown;
}

/** A host `SocketTask` (WeChat shape; the others are variations of it). */
export interface HostSocketTask {
  send(option: {
    data: string | ArrayBuffer;
    isBuffer?: boolean;
    success?(result: unknown): void;
    fail?(result: HostFailure): void;
  }): unknown;
  close(option: {
    code?: number;
    reason?: string;
    success?(result: unknown): void;
    fail?(result: HostFailure): void;
  }): unknown;
  onOpen(listener: (result?: unknown) => void): unknown;
  onMessage(listener: (result?: SocketMessagePayload) => void): unknown;
  onError(listener: (result?: HostFailure) => void): unknown;
  onClose(listener: (result?: SocketClosePayload) => void): unknown;
}

/** What `request` is given (WeChat names; Alipay reads `headers`). */
export interface RequestOptions {
  url: string;
  method: "GET" | "POST";
  data?: string;
  header?: Record<string, string>;
  headers?: Record<string, string>;
  dataType: string;
  responseType: string;
  timeout?: number;
  success?(result: RequestResult): void;
  fail?(result: HostFailure): void;
  complete?(result: unknown): void;
}

/** `request` success payload: `statusCode`/`header` (WeChat), `status`/`headers` (Alipay). */
export interface RequestResult {
  data?: unknown;
  statusCode?: number;
  status?: number;
  header?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  /** WeChat ≥ 2.10.0: the `Set-Cookie` values. */
  cookies?: unknown[];
}

/** `onNetworkStatusChange` payload. */
export interface NetworkStatus {
  isConnected?: boolean;
  networkType?: string;
}

/** A WeChat-shaped host API object (`wx`, `qq`, `tt`, `swan`, `ks`, `jd`, `my`, `uni`). */
export interface MiniProgramApi {
  connectSocket(option: ConnectSocketOptions): unknown;
  request?(option: RequestOptions): unknown;
  onAppShow?(listener: (result?: unknown) => void): unknown;
  offAppShow?(listener: (result?: unknown) => void): unknown;
  onAppHide?(listener: (result?: unknown) => void): unknown;
  offAppHide?(listener: (result?: unknown) => void): unknown;
  onNetworkStatusChange?(listener: (result: NetworkStatus) => void): unknown;
  offNetworkStatusChange?(listener: (result: NetworkStatus) => void): unknown;
  /** wx ≥ 2.15.0: cryptographically strong random bytes, asynchronously. */
  getRandomValues?(option: {
    length: number;
    success?(result: { randomValues: ArrayBuffer }): void;
    fail?(result: HostFailure): void;
  }): unknown;
}

/** True when `value` looks like a SocketTask (a Promise or `undefined` does not). */
export function isSocketTask(value: unknown): value is HostSocketTask {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as HostSocketTask).onOpen === "function" &&
    typeof (value as HostSocketTask).send === "function"
  );
}
