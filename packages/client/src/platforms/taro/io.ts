/** `io()` bound to the Taro platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createTaroPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a Taro app.
 *
 * @example
 * import { io } from "@omnio/client/taro";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createTaroPlatform());
