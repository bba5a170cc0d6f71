/** Runtime-neutral core: for runtime adapters (Bun, Deno, …) and advanced use. */
export { ServerCore, type ParentNspNameMatchFn, type ServerReservedEvents } from "./socketio/server.js";
export { Namespace, type ExtendedError, type NamespaceMiddleware } from "./socketio/namespace.js";
export { ParentNamespace } from "./socketio/parent-namespace.js";
export { Socket, type SocketReservedEvents } from "./socketio/socket.js";
export { Client } from "./socketio/client.js";
export { BroadcastOperator, RemoteSocket } from "./socketio/broadcast-operator.js";
export type { Handshake } from "./socketio/handshake.js";
export type { DisconnectReason } from "./socketio/reasons.js";
export type { ServerOptions, ConnectionStateRecoveryOptions, AdapterConstructor } from "./socketio/options.js";
export type { Parser, ParserEncoder, ParserDecoder } from "./socketio/custom-parser.js";
export {
  AckCache,
  ACK_DEDUP_DEFAULTS,
  MAX_WAITERS,
  estimateBytes,
  type AckDedupOptions,
} from "./socketio/ack-cache.js";
export * from "./socketio/typed-events.js";
export { Adapter, type AdapterEvents } from "./adapter/in-memory-adapter.js";
export { SessionAwareAdapter } from "./adapter/session-aware-adapter.js";
export type * from "./adapter/types.js";
export {
  EngineServer,
  type EngineServerEvents,
  type ConnectionErrorEvent,
  type EngineMiddleware,
  type UpgradeDecision,
} from "./engine/server.js";
export { EngineSocket, type EngineSocketEvents, type SendOptions } from "./engine/socket.js";
export { EngineErrorCode, ENGINE_ERROR_MESSAGES, type EngineCloseReason } from "./engine/errors.js";
export type { EngineOptions, CookieOptions, AllowRequest } from "./engine/options.js";
export type { CorsOptions } from "./engine/cors.js";
export type * from "./engine/contracts.js";
