/**
 * Client errors and wire-visible strings, in one file (STYLE habit 8). Error `message`s for
 * transport failures match engine.io-client's (`"xhr poll error"`, `"websocket error"`,
 * `"probe error"`), because socket.io-client users match on them in `connect_error`.
 */

/** Why an engine connection closed; the strings are socket.io-client's (protocol doc §1.9). */
export type EngineCloseReason = "forced close" | "transport close" | "transport error" | "ping timeout" | "parse error";

/** Stable codes of {@link EngineError}. */
export type EngineErrorCode =
  /** An HTTP long-polling request failed (network error, timeout or non-200 status). */
  | "POLLING_ERROR"
  /** The WebSocket failed or could not be opened. */
  | "WEBSOCKET_ERROR"
  /** A frame or payload from the server could not be decoded. */
  | "PARSE_ERROR"
  /** The handshake (`0{…}`) was malformed or missing. */
  | "HANDSHAKE_ERROR"
  /** The websocket upgrade probe failed; the connection continues on polling. */
  | "PROBE_ERROR"
  /** No configured transport can run on this platform. */
  | "NO_TRANSPORT";

/**
 * An Engine.IO client failure. `message` is engine.io-client's string for the same failure;
 * `code` is stable; `description` carries the low-level detail (status code, close code, cause).
 *
 * @example
 * engine.on("error", (err) => { if (err.code === "POLLING_ERROR") console.log(err.description) });
 */
export class EngineError extends Error {
  override readonly name = "EngineError";
  declare readonly code: EngineErrorCode;
  /** The transport that failed, when there was one. */
  declare readonly transport: string | undefined;
  /** Extra detail: an HTTP status, a WebSocket close code, or the host's own error. */
  declare readonly description: unknown;
  constructor(code: EngineErrorCode, options: { transport?: string; description?: unknown; cause?: unknown } = {}) {
    super(MESSAGES[code], errorOptions(options));
    this.code = code;
    this.transport = options.transport;
    this.description = options.description;
  }
}

/**
 * Why a client `Socket` disconnected: socket.io-client's strings (protocol doc §1.9). The engine
 * reasons plus `"io server disconnect"` (the server or a middleware sent DISCONNECT: no
 * automatic reconnection) and `"io client disconnect"` (`socket.disconnect()`).
 */
export type DisconnectReason = EngineCloseReason | "io server disconnect" | "io client disconnect";

/** Stable codes of {@link ClientError}. */
export type ClientErrorCode =
  /** The Manager's `timeout` passed before the engine opened (message `"timeout"`). */
  | "CONNECT_TIMEOUT"
  /** The server refused the namespace (CONNECT_ERROR); `message` and `data` are the server's. */
  | "CONNECT_REFUSED"
  /** The CONNECT reply had no `sid`: the server speaks Socket.IO v4 (2.x). */
  | "INCOMPATIBLE_SERVER"
  /** An acknowledgement did not arrive within its timeout (message `"operation has timed out"`). */
  | "ACK_TIMEOUT"
  /** The socket disconnected before the acknowledgement arrived. */
  | "DISCONNECTED"
  /** `emit()` was given a reserved event name. */
  | "RESERVED_EVENT"
  /** The send buffer was full: the packet was dropped by the `sendBuffer.policy` (or `emit` threw under `"error"`). */
  | "SEND_BUFFER_OVERFLOW"
  /** The packet waited in the send buffer longer than `sendBuffer.maxAge` and was dropped. */
  | "SEND_BUFFER_EXPIRED"
  /** A Blob in an emit could not be read (message `"blob read error"`, `cause` is the host's error); the packet was not sent. */
  | "BLOB_READ_ERROR";

/**
 * The message of each code (engine.io-client's and socket.io-client's strings), one table for
 * both classes. CONNECT_REFUSED and RESERVED_EVENT always come with their own message.
 */
const MESSAGES: Partial<Record<EngineErrorCode | ClientErrorCode, string>> = {
  POLLING_ERROR: "xhr poll error",
  WEBSOCKET_ERROR: "websocket error",
  PARSE_ERROR: "parse error",
  HANDSHAKE_ERROR: "handshake error",
  PROBE_ERROR: "probe error",
  NO_TRANSPORT: "no transport available",
  CONNECT_TIMEOUT: "timeout",
  INCOMPATIBLE_SERVER:
    "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)",
  ACK_TIMEOUT: "operation has timed out",
  DISCONNECTED: "socket has been disconnected",
  SEND_BUFFER_OVERFLOW: "send buffer overflow",
  SEND_BUFFER_EXPIRED: "packet expired in the send buffer",
  BLOB_READ_ERROR: "blob read error",
};

/** The `Error` options: a `cause` only when one was given. */
function errorOptions(options: { cause?: unknown }): { cause?: unknown } | undefined {
  return options.cause === undefined ? undefined : options;
}
/**
 * A Socket.IO client failure. `message` is socket.io-client's string for the same failure
 * (`"timeout"`, `"operation has timed out"`, `"socket has been disconnected"`, or the server's
 * own message for a refused namespace); `code` is stable; `data` is the server's `data` of a
 * CONNECT_ERROR.
 *
 * @example
 * socket.on("connect_error", (err) => {
 *   if (err instanceof ClientError && err.code === "CONNECT_REFUSED") console.log(err.message, err.data);
 * });
 */
export class ClientError extends Error {
  override readonly name = "ClientError";
  declare readonly code: ClientErrorCode;
  /** The `data` field of the server's CONNECT_ERROR, when there was one. */
  declare readonly data: unknown;
  constructor(code: ClientErrorCode, options: { message?: string; data?: unknown; cause?: unknown } = {}) {
    super(options.message ?? MESSAGES[code] ?? code, errorOptions(options));
    this.code = code;
    this.data = options.data;
  }
}

/**
 * Throws a `TypeError` unless option `name` is a number ≥ 0 (and ≤ `max`): one sentence for
 * every numeric option of the Socket.IO layer, e.g. "The retries option must be a number ≥ 0."
 */
export function checkNumber(name: string, value: number, max = Infinity): void {
  if (!(value >= 0 && value <= max)) {
    throw new TypeError(`The ${name} option must be a number ${max < Infinity ? "between 0 and " + max : "≥ 0"}.`);
  }
}
