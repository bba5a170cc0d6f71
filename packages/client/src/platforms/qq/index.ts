/** The QQ entry: `import { io } from "@omnio/client/qq"`. */
export { createQqPlatform, type QqPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
