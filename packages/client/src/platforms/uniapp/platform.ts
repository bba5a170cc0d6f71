/**
 * The uni-app platform (miniprogram-platforms §1.7, §2.4): `uni.connectSocket` and `uni.request`
 * on mini-program, H5 and App builds. uni returns a task only when a callback is passed (a
 * Promise otherwise), so the shared adapter always passes `success`/`fail`. H5 and App give `{}`
 * to open/close/error listeners (close code 1006 then), App may report an error without a close
 * (the adapter frees the slot after `closeTimeout`), and H5 ignores `header`. Only an adapter to
 * the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";

declare const uni: MiniProgramApi | undefined;

/** Options of {@link createUniappPlatform}. */
export interface UniappPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `uni`
   */
  api?: MiniProgramApi;
  /**
   * Pass `multiple: true` to `uni.connectSocket` (needed on Alipay mini-program builds to get a
   * SocketTask; ignored elsewhere).
   * @default true
   */
  multiple?: boolean;
}

/**
 * Creates the uni-app platform.
 *
 * @example
 * import { io } from "@omnio/client/uniapp";
 * const socket = io("wss://example.com");
 */
export function createUniappPlatform(options: UniappPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof uni === "object" ? uni : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "uni.connectSocket", "no `uni` API object");
  return createHostPlatform(
    { name: "uniapp", apiName: "uni", api, connectExtras: options.multiple === false ? {} : { multiple: true } },
    options,
  );
}
