/**
 * The Bun platform: Bun's global `WebSocket` (with `headers`, so `extraHeaders` reach the
 * server on the WebSocket handshake too) and `fetch` for polling. Bun's default `binaryType` is
 * `"nodebuffer"`; binary reaches the core as an exact `ArrayBuffer` (miniprogram-platforms §6.1).
 */
import type { Platform } from "../../platform/contract.js";
import { createWebRuntimePlatform, type WebRuntimeGlobals } from "../web-runtime/web-runtime-platform.js";

/** Options of {@link createBunPlatform}. */
export interface BunPlatformOptions {
  /**
   * The global object to read `WebSocket`, `fetch`, timers and `crypto` from.
   * @default globalThis
   */
  globals?: WebRuntimeGlobals;
}

/**
 * Creates the Bun platform.
 *
 * @example
 * import { io, createBunPlatform } from "@omnio/client/bun";
 * const socket = io("http://localhost:3000", { platform: createBunPlatform() });
 */
export function createBunPlatform(options: BunPlatformOptions = {}): Platform {
  return createWebRuntimePlatform("bun", options.globals ?? (globalThis as unknown as WebRuntimeGlobals));
}
