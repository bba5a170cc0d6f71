/**
 * The Kuaishou platform: `ks.connectSocket` (SocketTask) and `ks.request` through the shared
 * mini-program adapter (miniprogram-platforms §1.6, §2.6). Only an adapter to the `Platform` contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createNamedHostPlatform, type NamedHostPlatformOptions } from "../miniprogram/named-host.js";

declare const ks: MiniProgramApi | undefined;

/** Options of {@link createKuaishouPlatform}. */
export type KuaishouPlatformOptions = NamedHostPlatformOptions;

/**
 * Creates the Kuaishou platform.
 *
 * @example
 * import { io } from "@omnio/client/kuaishou";
 * const socket = io("wss://example.com", { auth: { token } });
 */
export function createKuaishouPlatform(options: KuaishouPlatformOptions = {}): Platform {
  return createNamedHostPlatform(
    { name: "kuaishou", apiName: "ks", found: typeof ks === "object" ? ks : undefined },
    options,
  );
}
