/** `io()` bound to the QQ platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createQqPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a QQ mini program.
 *
 * @example
 * import { io } from "@omnio/client/qq";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createQqPlatform());
