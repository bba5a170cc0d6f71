/**
 * The WeChat platform: `wx.connectSocket` (SocketTask) and `wx.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.1, §2.1). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const wx: MiniProgramApi | undefined;

/** Options of {@link createWechatPlatform}. */
export interface WechatPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `wx`
   */
  api?: MiniProgramApi;
}

/**
 * Creates the WeChat platform.
 *
 * @example
 * import { io } from "@omnio/client/wechat";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createWechatPlatform(options: WechatPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof wx === "object" ? wx : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "wx.connectSocket", "no `wx` API object");
  return createHostPlatform({ name: "wechat", apiName: "wx", api }, options);
}
