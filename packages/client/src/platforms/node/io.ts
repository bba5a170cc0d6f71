/** `io()` bound to the Node platform (a fresh platform, with its own cookie jar, per Manager). */
import { createIo, type IoFunction } from "../../socketio/lookup.js";
import { createNodePlatform } from "./node-platform.js";

/**
 * Connects to a Socket.IO server from Node.
 *
 * @example
 * import { io } from "@omnio/client/node";
 * const socket = io("http://localhost:3000", { transports: ["websocket"] });
 */
export const io: IoFunction = createIo(() => createNodePlatform());
