/** `io()` bound to the Deno platform. */
import { createIo, type IoFunction } from "../../socketio/lookup.js";
import { createDenoPlatform } from "./deno-platform.js";

/**
 * Connects to a Socket.IO server from Deno.
 *
 * @example
 * import { io } from "@omnio/client/deno";
 * const socket = io("http://localhost:3000", { extraHeaders: { authorization: "Bearer …" } });
 */
export const io: IoFunction = createIo(() => createDenoPlatform());
