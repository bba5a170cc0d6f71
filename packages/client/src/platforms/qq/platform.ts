/**
 * The QQ platform: `qq.connectSocket` (SocketTask) and `qq.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.2, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createNamedHostPlatform, type NamedHostPlatformOptions } from "../miniprogram/named-host.js";

declare const qq: MiniProgramApi | undefined;

/** Options of {@link createQqPlatform}. */
export type QqPlatformOptions = NamedHostPlatformOptions;

/**
 * Creates the QQ platform.
 *
 * @example
 * import { io } from "@omnio/client/qq";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createQqPlatform(options: QqPlatformOptions = {}): Platform {
  return createNamedHostPlatform(
    { name: "qq", apiName: "qq", found: typeof qq === "object" ? qq : undefined },
    options,
  );
}
