/** `io()` bound to the WeChat platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createWechatPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a WeChat mini program.
 *
 * @example
 * import { io } from "@omnio/client/wechat";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createWechatPlatform());
