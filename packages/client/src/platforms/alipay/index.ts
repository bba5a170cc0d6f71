/** The Alipay entry: `import { io } from "@omnio/client/alipay"`. */
export { createAlipayPlatform, type AlipayPlatformOptions } from "./platform.js";
export {
  legacySocketTask,
  hasLegacySocket,
  type AlipayLegacySocketApi,
  type LegacySocketTask,
} from "./legacy-socket.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
