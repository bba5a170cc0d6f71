/**
 * The Baidu platform: `swan.connectSocket` (SocketTask) and `swan.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.5, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const swan: MiniProgramApi | undefined;

/** Options of {@link createBaiduPlatform}. */
export interface BaiduPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `swan`
   */
  api?: MiniProgramApi;
}

/**
 * Creates the Baidu platform.
 *
 * @example
 * import { io } from "@omnio/client/baidu";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createBaiduPlatform(options: BaiduPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof swan === "object" ? swan : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "swan.connectSocket", "no `swan` API object");
  return createHostPlatform({ name: "baidu", apiName: "swan", api }, options);
}
