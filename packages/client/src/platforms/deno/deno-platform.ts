/**
 * The Deno platform: Deno's global `WebSocket` (with `headers`, so `extraHeaders` reach the
 * server on the WebSocket handshake too) and `fetch` for polling. Deno's default `binaryType` is
 * `"blob"`; binary reaches the core as an exact `ArrayBuffer` (miniprogram-platforms §6.1).
 */
import type { Platform } from "../../platform/contract.js";
import { createWebRuntimePlatform, type WebRuntimeGlobals } from "../web-runtime/web-runtime-platform.js";

/** Options of {@link createDenoPlatform}. */
export interface DenoPlatformOptions {
  /**
   * The global object to read `WebSocket`, `fetch`, timers and `crypto` from.
   * @default globalThis
   */
  globals?: WebRuntimeGlobals;
}

/**
 * Creates the Deno platform.
 *
 * @example
 * import { io, createDenoPlatform } from "@omnio/client/deno";
 * const socket = io("http://localhost:3000", { platform: createDenoPlatform() });
 */
export function createDenoPlatform(options: DenoPlatformOptions = {}): Platform {
  return createWebRuntimePlatform("deno", options.globals ?? (globalThis as unknown as WebRuntimeGlobals));
}
