/** The Node platform entry: `import { createNodePlatform } from "@omnio/client/node"`. */
export {
  createNodePlatform,
  type NodePlatformOptions,
  type NodeWebSocketConstructor,
  type NodeWebSocketLike,
} from "./node-platform.js";
export { CookieJar } from "./cookie-jar.js";
export { io, io as connect, io as lookup } from "./io.js";
