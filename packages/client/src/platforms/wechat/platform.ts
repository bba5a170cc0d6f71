/**
 * The WeChat platform: `wx.connectSocket` (SocketTask) and `wx.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.1, §2.1). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createNamedHostPlatform, type NamedHostPlatformOptions } from "../miniprogram/named-host.js";

declare const wx: MiniProgramApi | undefined;

/** Options of {@link createWechatPlatform}. */
export type WechatPlatformOptions = NamedHostPlatformOptions;

/**
 * Creates the WeChat platform.
 *
 * @example
 * import { io } from "@omnio/client/wechat";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createWechatPlatform(options: WechatPlatformOptions = {}): Platform {
  return createNamedHostPlatform(
    { name: "wechat", apiName: "wx", found: typeof wx === "object" ? wx : undefined },
    options,
  );
}
