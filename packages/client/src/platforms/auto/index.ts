/** The automatic mini-program entry: `import { io } from "@omnio/client/auto"`. */
export { createAutoPlatform, type AutoPlatformOptions } from "./platform.js";
export { detectHost, hostApi, HOST_ORDER, type HostName, type DetectedHost } from "./detect.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
