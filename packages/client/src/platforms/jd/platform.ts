/**
 * The JD platform: `jd.connectSocket` (SocketTask) and `jd.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.6, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createNamedHostPlatform, type NamedHostPlatformOptions } from "../miniprogram/named-host.js";

declare const jd: MiniProgramApi | undefined;

/** Options of {@link createJdPlatform}. */
export type JdPlatformOptions = NamedHostPlatformOptions;

/**
 * Creates the JD platform.
 *
 * @example
 * import { io } from "@omnio/client/jd";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createJdPlatform(options: JdPlatformOptions = {}): Platform {
  return createNamedHostPlatform(
    { name: "jd", apiName: "jd", found: typeof jd === "object" ? jd : undefined },
    options,
  );
}
