/**
 * The ByteDance / Douyin platform: `tt.connectSocket` (SocketTask) and `tt.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.4, §2.3: string close codes are parsed, `readyState` is not needed). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createNamedHostPlatform, type NamedHostPlatformOptions } from "../miniprogram/named-host.js";

declare const tt: MiniProgramApi | undefined;

/** Options of {@link createBytedancePlatform}. */
export type BytedancePlatformOptions = NamedHostPlatformOptions;

/**
 * Creates the ByteDance / Douyin platform.
 *
 * @example
 * import { io } from "@omnio/client/bytedance";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createBytedancePlatform(options: BytedancePlatformOptions = {}): Platform {
  return createNamedHostPlatform(
    { name: "bytedance", apiName: "tt", found: typeof tt === "object" ? tt : undefined },
    options,
  );
}
