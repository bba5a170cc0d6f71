/**
 * The QQ platform: `qq.connectSocket` (SocketTask) and `qq.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.2, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const qq: MiniProgramApi | undefined;

/** Options of {@link createQqPlatform}. */
export interface QqPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `qq`
   */
  api?: MiniProgramApi;
}

/**
 * Creates the QQ platform.
 *
 * @example
 * import { io } from "@omnio/client/qq";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createQqPlatform(options: QqPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof qq === "object" ? qq : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "qq.connectSocket", "no `qq` API object");
  return createHostPlatform({ name: "qq", apiName: "qq", api }, options);
}
