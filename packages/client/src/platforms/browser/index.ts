/** The browser platform entry: `import { createBrowserPlatform } from "@omnio/client/browser"`. */
export { createBrowserPlatform, type BrowserPlatformOptions, type BrowserGlobals } from "./browser-platform.js";
export { io, io as connect, io as lookup } from "./io.js";
