/**
 * `io()` for mini-program entries: the core's `io()` bound to a host platform, with the transport
 * order mini programs want (miniprogram-platforms §2.8): WebSocket first, long-polling as a
 * fallback when the socket fails (blocked, or no slot left), not as a start-then-upgrade.
 * Options given by the caller win.
 */
import type { Platform } from "../../platform/contract.js";
import { createIo, type IoFunction, type IoOptions } from "../../socketio/lookup.js";

/** Builds the `io()` of a mini-program entry; `platform()` is called once per Manager. */
export function createMiniProgramIo(platform: () => Platform): IoFunction {
  const io = createIo(platform);
  const withDefaults = (options: IoOptions | undefined): IoOptions => ({
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    ...options,
  });
  return (uriOrOptions?: string | IoOptions, options?: IoOptions) =>
    typeof uriOrOptions === "string" || uriOrOptions === undefined
      ? io(uriOrOptions, withDefaults(options))
      : io(withDefaults(uriOrOptions));
}
