/**
 * The Taro platform (miniprogram-platforms §1.8, §2.5): `Taro.connectSocket` returns
 * `Promise<SocketTask>`, resolved in the native `success` (before `onOpen`); the shared adapter
 * attaches its listeners then, and a close requested before that waits for the task. On Alipay
 * Taro's task is a shim over the global single socket whose close has no code (1006 then).
 * `Taro.request` is used with callbacks (its Promise is ignored). Taro is usually imported, not a
 * global: pass it as `api`. In mini-program builds the native host entry (`/wechat`, `/alipay`…)
 * avoids Taro's layer altogether.
 */
import type { Platform } from "../../platform/contract.js";
import type { BinaryMode } from "../miniprogram/binary.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const Taro: MiniProgramApi | undefined;

/** Options of {@link createTaroPlatform}. */
export interface TaroPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The Taro API object (`import Taro from "@tarojs/taro"`).
   * @default the global `Taro`, when there is one
   */
  api?: MiniProgramApi;
  /**
   * How binary frames are sent. On Alipay Taro's task is the global socket, which old clients
   * only give base64 text with `isBuffer`.
   * @default "base64" when `Taro.getEnv()` is `"ALIPAY"`, else "arraybuffer"
   */
  binary?: BinaryMode;
}

/**
 * Creates the Taro platform.
 *
 * @example
 * import Taro from "@tarojs/taro";
 * import { io, createTaroPlatform } from "@omnio/client/taro";
 * const socket = io("wss://example.com", { platform: createTaroPlatform({ api: Taro }) });
 */
export function createTaroPlatform(options: TaroPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof Taro === "object" ? Taro : undefined);
  if (api === undefined) {
    throw new MiniProgramError("UNSUPPORTED_HOST", "Taro.connectSocket", "pass the Taro object as `api`");
  }
  const getEnv = (api as { getEnv?: unknown }).getEnv;
  const env = typeof getEnv === "function" ? (getEnv as () => unknown).call(api) : undefined;
  const binary = options.binary ?? (env === "ALIPAY" ? "base64" : "arraybuffer");
  return createHostPlatform({ name: "taro", apiName: "Taro", api, binary }, options);
}
