/**
 * The shared mini-program platform entry (`@omnio/client/miniprogram`): a platform for any host
 * whose network API follows WeChat's shape, given its API object.
 */
export {
  createHostPlatform,
  MINIPROGRAM_DEFAULTS,
  type HostVariant,
  type MiniProgramPlatformOptions,
} from "./platform.js";
export { createMiniProgramIo } from "./io.js";
export { MiniProgramError, hostError, type MiniProgramErrorCode } from "./errors.js";
export { CookieStore } from "./cookie-store.js";
export { SocketRegistry } from "./socket-registry.js";
export { encodeBinary, messageData, type BinaryMode, type OutgoingBinary } from "./binary.js";
export type {
  MiniProgramApi,
  HostSocketTask,
  HostFailure,
  ConnectSocketOptions,
  RequestOptions,
  RequestResult,
  NetworkStatus,
  SocketMessagePayload,
  SocketClosePayload,
} from "./host-api.js";
