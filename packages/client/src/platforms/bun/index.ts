/** The Bun entry: `import { io, createBunPlatform } from "@omnio/client/bun"`. */
export { createBunPlatform, type BunPlatformOptions } from "./bun-platform.js";
export { io, io as connect, io as lookup } from "./io.js";
