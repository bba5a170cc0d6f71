/** The Deno entry: `import { io, createDenoPlatform } from "@omnio/client/deno"`. */
export { createDenoPlatform, type DenoPlatformOptions } from "./deno-platform.js";
export { io, io as connect, io as lookup } from "./io.js";
