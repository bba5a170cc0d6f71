/**
 * Payload shapes of each host family, from the official typings and docs
 * (miniprogram-platforms §1.1–§1.8, §2.1–§2.5): WeChat (`wx`, and the hosts that copy it), tt,
 * Alipay (nested task payloads per `@mini-types/my`, flat ones per the docs), uni-app H5/App.
 */
import { decodeBase64, encodeBase64 } from "@omnio/protocol";
import type { RequestDialect } from "./sim-request.js";
import type { SendOption, SocketDialect } from "./sim-socket.js";

function wxFrame(option: SendOption): string | ArrayBuffer | { error: string } {
  const data = option.data;
  if (typeof data === "string" || data instanceof ArrayBuffer) return data;
  return { error: "parameter.data should be String or ArrayBuffer" };
}

/** WeChat: `{ header, profile }`, `{ data }`, `{ errMsg }`, `{ code, reason }`. */
export const wxSocket: SocketDialect = {
  api: "connectSocket",
  ok: (api) => ({ errMsg: `${api}:ok` }),
  failure: (_api, errMsg) => ({ errMsg }),
  open: (header) => ({ header, profile: { connectStart: Date.now() } }),
  message: (data) => ({ data }),
  error: (errMsg) => ({ errMsg }),
  close: (code, reason) => ({ code, reason }),
  frame: wxFrame,
};

/** tt: string close codes, `protocolType`/`socketType` on every event, `errNo` on failures. */
export const ttSocket: SocketDialect = {
  ...wxSocket,
  failure: (_api, errMsg) => ({ errMsg, errNo: 21100 }),
  open: (header) => ({ header, protocolType: "ws", socketType: "tradition" }),
  message: (data) => ({ data, protocolType: "ws", socketType: "tradition" }),
  close: (code, reason) => ({
    code: String(code),
    reason,
    errMsg: "closeSocket:ok",
    protocolType: "ws",
    socketType: "tradition",
  }),
};

/** How an Alipay sim carries binary frames. */
export type AlipayBinary = "base64" | "arraybuffer";

function alipayFrame(binary: AlipayBinary): (option: SendOption) => string | ArrayBuffer | { error: string } {
  return (option) => {
    const data = option.data;
    if (typeof data === "string") {
      if (!option.isBuffer) return data;
      const bytes = decodeBase64(data);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }
    if (data instanceof ArrayBuffer && binary === "arraybuffer") return data;
    return { error: "data must be a string (base64 with isBuffer for binary)" };
  };
}

function alipayMessage(data: string | ArrayBuffer, binary: AlipayBinary): { data: unknown; isBuffer: boolean } {
  if (typeof data === "string") return { data, isBuffer: false };
  return binary === "base64" ? { data: encodeBase64(new Uint8Array(data)), isBuffer: true } : { data, isBuffer: true };
}

/** Alipay `multiple: true` task with the nested payloads of `@mini-types/my`; close has no code. */
export function alipayNestedSocket(binary: AlipayBinary): SocketDialect {
  const socketTaskID = 1;
  return {
    api: "connectSocket",
    ok: () => ({ success: true }),
    failure: (_api, errorMessage, error = 1) => ({ error, errorMessage }),
    open: () => ({ data: { socketTaskID } }),
    message: (data) => ({ data: { socketTaskID, ...alipayMessage(data, binary) } }),
    error: (errorMessage) => ({ data: { socketTaskID }, error: 1, errorMessage }),
    close: () => ({ data: { socketTaskID } }),
    frame: alipayFrame(binary),
  };
}

/** Alipay with the flat payloads of its docs (`{ data, isBuffer }`, `{ reason }`). */
export function alipayFlatSocket(binary: AlipayBinary): SocketDialect {
  return {
    ...alipayNestedSocket(binary),
    open: () => ({}),
    message: (data) => alipayMessage(data, binary),
    error: (errorMessage) => ({ error: 1, errorMessage }),
    close: (_code, reason) => ({ reason }),
  };
}

/** uni-app H5 (wraps the browser WebSocket): `{}` to open/close/error. */
export const uniH5Socket: SocketDialect = {
  ...wxSocket,
  open: () => ({}),
  error: () => ({}),
  close: () => ({}),
};

/** uni-app App (native plugin): `{}` payloads, error without close, `readyState` starts CLOSED. */
export const uniAppSocket: SocketDialect = { ...uniH5Socket, errorWithoutClose: true, initialReadyState: 3 };

/** `wx.request`: `header`, JSON default, `{ data, statusCode, header, cookies, errMsg }`. */
export const wxRequest: RequestDialect = {
  headerField: "header",
  defaultContentType: "application/json",
  defaultDataType: "json",
  failure: (errMsg) => ({ errMsg }),
  success: (statusCode, header, cookies, data) => ({ data, statusCode, header, cookies, errMsg: "request:ok" }),
};

/** `tt.request`: as WeChat without `cookies`. */
export const ttRequest: RequestDialect = {
  ...wxRequest,
  failure: (errMsg) => ({ errMsg, errNo: 21100 }),
  success: (statusCode, header, _cookies, data) => ({ data, statusCode, header, errMsg: "request:ok" }),
};

/** `my.request`: `headers`, `status`/`headers` (+ the WeChat spellings), JSON parse failures fail (14). */
export function alipayRequest(httpErrorFails: boolean): RequestDialect {
  return {
    headerField: "headers",
    acceptBothHeaderFields: true,
    defaultContentType: "application/json",
    defaultDataType: "json",
    jsonFailureFails: true,
    httpErrorFails,
    failure: (errorMessage, error = 12) => ({ error, errorMessage }),
    success: (status, headers, _cookies, data) => ({ data, status, headers, statusCode: status, header: headers }),
  };
}

/** uni-app App's `request`: POST defaults to urlencoded (miniprogram-platforms §2.4). */
export const uniAppRequest: RequestDialect = {
  ...wxRequest,
  defaultContentType: "application/x-www-form-urlencoded; charset=UTF-8",
};
