/** `io()` bound to the React Native platform (global WebSocket and XHR, no lifecycle signals). */
import { createIo, type IoFunction } from "../../socketio/lookup.js";
import { createReactNativePlatform } from "./react-native-platform.js";

/**
 * Connects to a Socket.IO server from a React Native app. Pass
 * `platform: createReactNativePlatform({ appState: AppState, netInfo: NetInfo })` to reconnect
 * as soon as the app returns to the foreground or the network comes back.
 *
 * @example
 * import { io } from "@omnio/client/react-native";
 * const socket = io("https://chat.example.com", { extraHeaders: { authorization: "Bearer …" } });
 */
export const io: IoFunction = createIo(() => createReactNativePlatform());
