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
