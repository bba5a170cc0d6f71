/** omnio client core entry (runtime-neutral). Platforms: `@omnio/client/node`, `@omnio/client/browser`. */
export {
  EngineSocket,
  type EngineSocketEvents,
  type EngineReadyState,
  type HandshakeData,
} from "./engine/engine-socket.js";
export {
  ENGINE_DEFAULTS,
  resolveEngineOptions,
  type EngineOptions,
  type ResolvedEngineOptions,
  type TransportName,
  type TransportOverrides,
} from "./engine/options.js";
export { LATE_TIMER_TOLERANCE_MS, WAKE_GRACE_MS } from "./engine/heartbeat.js";
export { EngineError, type EngineErrorCode, type EngineCloseReason } from "./errors.js";
export type {
  Platform,
  PlatformSocket,
  PlatformLifecycle,
  SocketRequest,
  SocketHandlers,
  HttpRequest,
  HttpResponse,
  HttpHandlers,
  HttpTask,
  TimerHandle,
  Unsubscribe,
} from "./platform/contract.js";
export { viewToArrayBuffer, standardToArrayBuffer } from "./platform/binary.js";
export { blobSupport, type BlobClass } from "./platform/blob.js";
export { ClientError, type ClientErrorCode, type DisconnectReason } from "./errors.js";
export { Backoff, type BackoffOptions } from "./socketio/backoff.js";
export {
  MANAGER_DEFAULTS,
  resolveManagerOptions,
  type ManagerOptions,
  type ResolvedManagerOptions,
  type SocketOptions,
} from "./socketio/options.js";
export { Manager, type ManagerEvents, type ManagerReadyState, type ManagerCloseReason } from "./socketio/manager.js";
export { Socket, type SocketReservedEvents } from "./socketio/socket.js";
export type { Parser, ParserEncoder, ParserDecoder } from "@omnio/protocol";
export type {
  AckResult,
  AllButLast,
  DecorateAcknowledgements,
  Last,
  PrependTimeoutError,
} from "./socketio/typed-events.js";
export type { EventNames, EventParams, EventsMap, DefaultEventsMap } from "@omnio/protocol";
export { type SocketState, type StateListener } from "./socketio/state.js";
export { SEND_BUFFER_DEFAULTS, type SendBufferOptions, type SendBufferPolicy } from "./socketio/send-buffer.js";
export { createIo, parseIoUrl, type IoFunction, type IoOptions, type IoUrl } from "./socketio/lookup.js";
