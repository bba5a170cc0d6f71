/** The Baidu entry: `import { io } from "@omnio/client/baidu"`. */
export { createBaiduPlatform, type BaiduPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
