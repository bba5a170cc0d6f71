/** `io()` bound to the Bun platform. */
import { createIo, type IoFunction } from "../../socketio/lookup.js";
import { createBunPlatform } from "./bun-platform.js";

/**
 * Connects to a Socket.IO server from Bun.
 *
 * @example
 * import { io } from "@omnio/client/bun";
 * const socket = io("http://localhost:3000", { extraHeaders: { authorization: "Bearer …" } });
 */
export const io: IoFunction = createIo(() => createBunPlatform());
