/** The WeChat entry: `import { io } from "@omnio/client/wechat"`. */
export { createWechatPlatform, type WechatPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
