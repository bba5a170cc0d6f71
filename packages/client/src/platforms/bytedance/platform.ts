/**
 * The ByteDance / Douyin platform: `tt.connectSocket` (SocketTask) and `tt.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.4, §2.3: string close codes are parsed, `readyState` is not needed). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const tt: MiniProgramApi | undefined;

/** Options of {@link createBytedancePlatform}. */
export interface BytedancePlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `tt`
   */
  api?: MiniProgramApi;
}

/**
 * Creates the ByteDance / Douyin platform.
 *
 * @example
 * import { io } from "@omnio/client/bytedance";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createBytedancePlatform(options: BytedancePlatformOptions = {}): Platform {
  const api = options.api ?? (typeof tt === "object" ? tt : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "tt.connectSocket", "no `tt` API object");
  return createHostPlatform({ name: "bytedance", apiName: "tt", api }, options);
}
