/** `io()` bound to the Alipay platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createAlipayPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from an Alipay mini program.
 *
 * @example
 * import { io } from "@omnio/client/alipay";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createAlipayPlatform());
