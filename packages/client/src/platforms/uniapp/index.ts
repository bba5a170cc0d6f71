/** The uni-app entry: `import { io } from "@omnio/client/uniapp"`. */
export { createUniappPlatform, type UniappPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
