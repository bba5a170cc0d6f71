/** The ByteDance / Douyin entry: `import { io } from "@omnio/client/bytedance"`. */
export { createBytedancePlatform, type BytedancePlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
