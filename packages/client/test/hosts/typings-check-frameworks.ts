/**
 * Type conformance of the uni-app and Taro sims with the official typings (`@dcloudio/types`,
 * `@tarojs/taro`), as `typings-check.ts` does for wx, my and tt: compiled with the tests, so a
 * drift between a sim and the typing breaks the build. Each function only compiles when what a
 * real program passes is accepted by the sim and what the sim gives back is what the typing
 * promises. The few members left out are named with the reason next to them.
 */
/// <reference types="@dcloudio/types" />
import type Taro from "@tarojs/taro";
import type { ConnectOption, SendOption, SimSocketTask } from "./sim-socket.js";
import type { RequestOption, SimRequestTask } from "./sim-request.js";
import type { AlipayShimTask, TaroRequestSuccess, TaroSimApi, UniRequestSuccess, UniSimApi } from "./sim-hosts.js";

type CloseOption = Parameters<SimSocketTask["close"]>[0];

/**
 * uni: `connectSocket`/`request` follow uni's callback-or-Promise rule, as the `uni-patches/promisify`
 * overloads declare it (a task when a callback is given, a Promise of the success payload
 * otherwise). The legacy overloads next to them (`request(options): RequestTask` whatever the
 * callbacks) predate that rule and are not what uni does, so the check names the promisify ones.
 */
export const uniConnectSocket = (
  f: UniSimApi["connectSocket"],
): (<T extends UniApp.ConnectSocketOption>(
  options: T,
) => UniApp.PromisifySuccessResult<T, UniApp.ConnectSocketOption, UniApp.SocketTask>) => f;
export const uniRequestFn = (
  f: UniSimApi["request"],
): (<T extends UniApp.RequestOptions>(
  options: T,
) => UniApp.PromisifySuccessResult<T, UniApp.RequestOptions, UniApp.RequestTask>) => f;
/** A uni `connectSocket` option (incl. Alipay's `multiple`, `method`) is accepted by the sim. */
export const uniConnectOption = (o: UniApp.ConnectSocketOption): ConnectOption => o;
/** The sim's task has uni's SocketTask methods with compatible parameters. */
export const uniTask = (t: SimSocketTask): UniApp.SocketTask => t;
export const uniSend = (o: UniApp.SendSocketMessageOptions): SendOption => o;
export const uniClose = (o: UniApp.CloseSocketOptions): CloseOption => o;
/** A uni `request` option is accepted; the task and the success payload are what uni promises. */
export const uniRequest = (o: UniApp.RequestOptions): RequestOption => o;
export const uniRequestTask = (t: SimRequestTask): UniApp.RequestTask => t;
export const uniRequestSuccess = (r: UniRequestSuccess): UniApp.RequestSuccessCallbackResult => r;
/** `onNetworkStatusChange` carries `isConnected` (the sim's lifecycle payload field). */
export const uniNetwork = (r: UniApp.OnNetworkStatusChangeSuccess): { isConnected: boolean } => r;

/** Taro: a `connectSocket` option is accepted and the Promise gives a task with the common members. */
type TaroTaskCore = Pick<Taro.SocketTask, "send" | "close" | "onOpen" | "onMessage" | "onError">;
export const taroConnect = (
  f: TaroSimApi["connectSocket"],
): ((o: Taro.connectSocket.Option) => Promise<TaroTaskCore>) => f;
/**
 * The weapp task (the native one) also has `onClose` with `{ code, reason }`, `readyState` and
 * the constants. Left out: `socketTaskId`, `errMsg`, `ws`, which Taro's typing merges from its
 * H5/Alipay wrappers; the native WeChat task Taro hands back on weapp has none of them.
 */
export const taroTask = (
  t: SimSocketTask,
): Pick<
  Taro.SocketTask,
  keyof TaroTaskCore | "onClose" | "readyState" | "CONNECTING" | "OPEN" | "CLOSING" | "CLOSED"
> => t;
/**
 * The Alipay shim: no `onClose` here on purpose. Taro's shim calls the listener with `{}` (it
 * sits on `my.onSocketClose`, which gives no code: miniprogram-platforms §1.8), while the typing
 * promises `{ code, reason }`; the sim keeps the host's behaviour and types it as optional fields.
 */
export const taroAlipayTask = (t: AlipayShimTask): TaroTaskCore => t;
export const taroSend = (o: Taro.SocketTask.SendOption): SendOption => o;
export const taroClose = (o: Taro.SocketTask.CloseOption): CloseOption => o;
/** A Taro `request` option is accepted by the sim. */
export const taroRequestOption = (o: Taro.request.Option): RequestOption => o;
/**
 * `Taro.request`'s task: a Promise with `abort` and the header events. Left out:
 * `onChunkReceived`/`offChunkReceived` (`enableChunked` transfer is not simulated; the client
 * never asks for it). The success payload is checked below without `errMsg`.
 */
export const taroRequestTask = (
  t: ReturnType<TaroSimApi["request"]>,
): Pick<Taro.RequestTask<unknown>, "abort" | "onHeadersReceived" | "offHeadersReceived"> => t;
/**
 * The success payload. `errMsg` is optional in the sim because Taro on Alipay only renames
 * `my.request`'s `status`/`headers` (miniprogram-platforms §1.8), which has no `errMsg`; the
 * typing (written for weapp) says it is always there.
 */
export const taroRequestSuccess = (
  r: TaroRequestSuccess,
): Omit<Taro.request.SuccessCallbackResult, "errMsg"> & { errMsg?: string } => r;
/** `getEnv()` returns values of Taro's `ENV_TYPE`. */
export const taroEnv = (e: ReturnType<TaroSimApi["getEnv"]>): `${TaroGeneral.ENV_TYPE}` => e;
