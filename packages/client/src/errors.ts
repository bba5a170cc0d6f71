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

const MESSAGES: Readonly<Record<EngineErrorCode, string>> = Object.freeze({
  POLLING_ERROR: "xhr poll error",
  WEBSOCKET_ERROR: "websocket error",
  PARSE_ERROR: "parse error",
  HANDSHAKE_ERROR: "handshake error",
  PROBE_ERROR: "probe error",
  NO_TRANSPORT: "no transport available",
});

/**
 * An Engine.IO client failure. `message` is engine.io-client's string for the same failure;
 * `code` is stable; `description` carries the low-level detail (status code, close code, cause).
 *
 * @example
 * engine.on("error", (err) => { if (err.code === "POLLING_ERROR") console.log(err.description) });
 */
export class EngineError extends Error {
  override readonly name = "EngineError";
  readonly code: EngineErrorCode;
  /** The transport that failed, when there was one. */
  readonly transport: string | undefined;
  /** Extra detail: an HTTP status, a WebSocket close code, or the host's own error. */
  readonly description: unknown;
  constructor(code: EngineErrorCode, options: { transport?: string; description?: unknown; cause?: unknown } = {}) {
    super(MESSAGES[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.transport = options.transport;
    this.description = options.description;
  }
}
