/** `io()` bound to the Kuaishou platform (one platform per Manager). */
import type { IoFunction } from "../../socketio/lookup.js";
import { createMiniProgramIo } from "../miniprogram/io.js";
import { createKuaishouPlatform } from "./platform.js";

/**
 * Connects to a Socket.IO server from a Kuaishou mini program.
 *
 * @example
 * import { io } from "@omnio/client/kuaishou";
 * const socket = io("wss://example.com");
 */
export const io: IoFunction = createMiniProgramIo(() => createKuaishouPlatform());
