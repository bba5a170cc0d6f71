/** The JD entry: `import { io } from "@omnio/client/jd"`. */
export { createJdPlatform, type JdPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
