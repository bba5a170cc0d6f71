import { RESERVED_EVENTS } from "@omnio/protocol";

/** Socket.IO disconnect reasons (server side), exactly as socket.io reports them. */
export type DisconnectReason =
  | "transport error"
  | "transport close"
  | "forced close"
  | "ping timeout"
  | "parse error"
  | "server shutting down"
  | "forced server close"
  | "client namespace disconnect"
  | "server namespace disconnect";

/** Reasons after which connection state recovery keeps the session. */
export const RECOVERABLE_DISCONNECT_REASONS: ReadonlySet<DisconnectReason> = new Set<DisconnectReason>([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
]);

/**
 * Names `Socket.emit`/`BroadcastOperator.emit` refuse: the same set the decoder refuses on
 * the wire (they belong to the library).
 */
export const SOCKET_RESERVED_EVENTS: ReadonlySet<string> = RESERVED_EVENTS;

/** Names `serverSideEmit` refuses. */
export const SERVER_SIDE_RESERVED_EVENTS: ReadonlySet<string> = new Set(["connect", "connection", "new_namespace"]);

/** The error acks receive when `timeout()` expires (socket.io's exact message). */
export function timeoutError(): Error {
  return new Error("operation has timed out");
}
