/**
 * The Baidu platform: `swan.connectSocket` (SocketTask) and `swan.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.5, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createNamedHostPlatform, type NamedHostPlatformOptions } from "../miniprogram/named-host.js";

declare const swan: MiniProgramApi | undefined;

/** Options of {@link createBaiduPlatform}. */
export type BaiduPlatformOptions = NamedHostPlatformOptions;

/**
 * Creates the Baidu platform.
 *
 * @example
 * import { io } from "@omnio/client/baidu";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createBaiduPlatform(options: BaiduPlatformOptions = {}): Platform {
  return createNamedHostPlatform(
    { name: "baidu", apiName: "swan", found: typeof swan === "object" ? swan : undefined },
    options,
  );
}
