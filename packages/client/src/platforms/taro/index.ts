/** The Taro entry: `import { io } from "@omnio/client/taro"`. */
export { createTaroPlatform, type TaroPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
