/** `io()` bound to the ByteDance / Douyin platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createBytedancePlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a ByteDance / Douyin mini program.
 *
 * @example
 * import { io } from "@omnio/client/bytedance";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createBytedancePlatform());
