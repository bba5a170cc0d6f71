/**
 * Every wire-visible Engine.IO error code, message and close reason in one place
 * (Engine.IO protocol v4, "Errors"; the official server's `Server.errors`). These strings are
 * what clients match on; never reword them.
 */

/** HTTP-level Engine.IO error codes, as sent in `{"code":N,"message":"…"}` bodies. */
export const EngineErrorCode = Object.freeze({
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const);
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** The official message of each code. */
export const ENGINE_ERROR_MESSAGES: Readonly<Record<EngineErrorCode, string>> = Object.freeze({
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
});

/** `context.name` values attached to code 3 (and others) in `connection_error` events. */
export type EngineErrorContextName =
  | "TRANSPORT_MISMATCH"
  | "TRANSPORT_HANDSHAKE_ERROR"
  | "INVALID_ORIGIN"
  | "MIDDLEWARE_FAILURE"
  | "ID_GENERATION_ERROR"
  | "PROTOCOL_MISMATCH"
  | "UNSUPPORTED_CONTENT_TYPE"
  | "BODY_TOO_LARGE"
  | "BODY_TIMEOUT"
  | "OVERLAPPING_REQUEST"
  | "UNSUPPORTED_METHOD";

/** A rejected HTTP request: code, message and the HTTP status it is answered with. */
export interface EngineRequestError {
  code: EngineErrorCode;
  message: string;
  status: number;
  context: Record<string, unknown>;
}

/** Builds a request error; status is 403 for FORBIDDEN, else 400 unless given. */
export function requestError(
  code: EngineErrorCode,
  context: Record<string, unknown> = {},
  message: string = ENGINE_ERROR_MESSAGES[code],
  status: number = code === EngineErrorCode.FORBIDDEN ? 403 : 400,
): EngineRequestError {
  return { code, message, status, context };
}

/** Reasons an Engine.IO session closes with (`close` event of the engine socket). */
export type EngineCloseReason = "ping timeout" | "parse error" | "transport error" | "transport close" | "forced close";
