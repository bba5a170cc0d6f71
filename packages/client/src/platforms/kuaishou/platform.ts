/**
 * The Kuaishou platform: `ks.connectSocket` (SocketTask) and `ks.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.6, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const ks: MiniProgramApi | undefined;

/** Options of {@link createKuaishouPlatform}. */
export interface KuaishouPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `ks`
   */
  api?: MiniProgramApi;
}

/**
 * Creates the Kuaishou platform.
 *
 * @example
 * import { io } from "@omnio/client/kuaishou";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createKuaishouPlatform(options: KuaishouPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof ks === "object" ? ks : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "ks.connectSocket", "no `ks` API object");
  return createHostPlatform({ name: "kuaishou", apiName: "ks", api }, options);
}
