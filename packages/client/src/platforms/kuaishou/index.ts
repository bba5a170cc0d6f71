/** The Kuaishou entry: `import { io } from "@omnio/client/kuaishou"`. */
export { createKuaishouPlatform, type KuaishouPlatformOptions } from "./platform.js";
export { io, io as connect, io as lookup } from "./io.js";
export { MiniProgramError, type MiniProgramErrorCode } from "../miniprogram/errors.js";
