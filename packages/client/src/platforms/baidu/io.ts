/** `io()` bound to the Baidu platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createBaiduPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a Baidu mini program.
 *
 * @example
 * import { io } from "@omnio/client/baidu";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createBaiduPlatform());
