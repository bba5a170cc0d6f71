/** A client on a fresh simulated host of one flavour, for the lifecycle and heartbeat tests. */
import { createMiniProgramIo, type MiniProgramPlatformOptions } from "@omnio/client/miniprogram";
import type { HostFlavour } from "./matrix.js";
import type { AlipayOptions } from "./sim-hosts.js";

/** Creates the sim host (`sim` options), its platform, and an `io(url, options)` socket on it. */
export function openFlavourClient(
  flavour: HostFlavour,
  url: string,
  options: Record<string, unknown>,
  sim: AlipayOptions,
  platformOptions: MiniProgramPlatformOptions = {},
) {
  const host = flavour.create(sim);
  const platform = flavour.platform(host, platformOptions);
  const socket = createMiniProgramIo(() => platform)(url, options);
  return { host, socket };
}
