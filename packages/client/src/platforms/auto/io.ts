/** `io()` bound to the automatically detected mini-program host (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createAutoPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from whichever mini-program host this runs in; pass
 * `{ platform: createAutoPlatform({ host: "wechat" }) }` to choose the host explicitly.
 *
 * @example
 * import { io } from "@omnio/client/auto";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createAutoPlatform());
