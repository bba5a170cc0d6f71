/**
 * Type conformance of the simulated hosts with the official typings (miniprogram-platforms §5.5
 * item 12): compiled with the tests, so a typings change that renames an option or a payload
 * field breaks the build instead of letting the simulation drift. Each function below only
 * compiles when the sim's shape and the official one agree in the direction that matters (what
 * a real program passes is accepted by the sim; what the sim returns is what the typing
 * promises).
 */
/// <reference types="miniprogram-api-typings" />
/// <reference types="@mini-types/my" />
import type { connectSocket as ttConnectSocket } from "@douyin-microapp/typings/api/connect-socket.js";
import type { ConnectOption, SimSocketTask, SendOption } from "./sim-socket.js";
import type { RequestOption } from "./sim-request.js";

type WxSocketTask = WechatMiniprogram.SocketTask;

/** A WeChat program's `connectSocket` option is accepted by the sim. */
export const wxConnectOption = (o: WechatMiniprogram.ConnectSocketOption): ConnectOption => o;
/** The sim's task has WeChat's SocketTask methods with compatible parameters. */
export const wxTask = (t: SimSocketTask): WxSocketTask => t;
/** A WeChat `send` option is accepted by the sim's `send`. */
export const wxSend = (o: WechatMiniprogram.SocketTaskSendOption): SendOption => o;
/** A WeChat `request` option is accepted by the sim. */
export const wxRequest = (o: WechatMiniprogram.RequestOption): RequestOption => o;
/** The sim's `onClose` payload fields exist in WeChat's typing. */
export const wxClose = (r: WechatMiniprogram.SocketTaskOnCloseListenerResult): { code: number; reason: string } => r;
/** `onNetworkStatusChange` carries `isConnected`. */
export const wxNetwork = (r: WechatMiniprogram.OnNetworkStatusChangeListenerResult): { isConnected: boolean } => r;

/** Alipay: a `multiple: true` connect option is accepted by the sim; the sim task has the task methods. */
export const myConnectOption = (o: Parameters<typeof my.connectSocket>[0]): ConnectOption => o;
export const myTask = (t: SimSocketTask): Pick<my.SocketTask, "onOpen" | "onMessage" | "onError" | "onClose"> => t;

/** tt: a connect option is accepted by the sim; the sim task has tt's SocketTask members (incl. readyState). */
type TtOption = Parameters<typeof ttConnectSocket>[0];
type TtTask = ReturnType<typeof ttConnectSocket>;
export const ttConnectOption = (o: TtOption): ConnectOption => o;
export const ttTask = (t: SimSocketTask): Pick<TtTask, "readyState" | "onOpen" | "onMessage" | "onClose" | "onError"> =>
  t;
