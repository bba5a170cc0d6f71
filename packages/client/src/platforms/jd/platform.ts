/**
 * The JD platform: `jd.connectSocket` (SocketTask) and `jd.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.6, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const jd: MiniProgramApi | undefined;

/** Options of {@link createJdPlatform}. */
export interface JdPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `jd`
   */
  api?: MiniProgramApi;
}

/**
 * Creates the JD platform.
 *
 * @example
 * import { io } from "@omnio/client/jd";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createJdPlatform(options: JdPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof jd === "object" ? jd : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "jd.connectSocket", "no `jd` API object");
  return createHostPlatform({ name: "jd", apiName: "jd", api }, options);
}
