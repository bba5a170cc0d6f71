/** The React Native entry: `import { io, createReactNativePlatform } from "@omnio/client/react-native"`. */
export {
  createReactNativePlatform,
  type ReactNativePlatformOptions,
  type ReactNativeGlobals,
  type RNWebSocket,
  type RNWebSocketConstructor,
} from "./react-native-platform.js";
export { type AppStateLike, type NetInfoLike } from "./react-native-lifecycle.js";
export { io, io as connect, io as lookup } from "./io.js";
