/** `io()` bound to the JD platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createJdPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a JD mini program.
 *
 * @example
 * import { io } from "@omnio/client/jd";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createJdPlatform());
