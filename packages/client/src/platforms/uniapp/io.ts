/** `io()` bound to the uni-app platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createUniappPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a uni-app app.
 *
 * @example
 * import { io } from "@omnio/client/uniapp";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createUniappPlatform());
