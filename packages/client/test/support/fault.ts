/** Helpers for the fault-injection tests: a socket.io server behind a fault proxy, and a platform that reports timer delays. */
import type { AddressInfo } from "node:net";
import type { Platform } from "@omnio/client";
import { createNodePlatform } from "@omnio/client/node";
import type { ServerKind } from "./servers.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";
import { startSio, type SioTestServer } from "./sio.js";

export interface ProxiedServer {
  srv: SioTestServer;
  proxy: FaultProxy;
  close(): Promise<void>;
}

/** A `kind` server on 127.0.0.1 with a fault proxy in front of it; `close()` closes both. */
export async function startProxiedSio(kind: ServerKind, opts: Record<string, unknown> = {}): Promise<ProxiedServer> {
  const srv = await startSio(kind, opts);
  const proxy = await startFaultProxy((srv.http.address() as AddressInfo).port).catch(async (error: unknown) => {
    await srv.close();
    throw error;
  });
  return {
    srv,
    proxy,
    async close() {
      await proxy.close();
      await srv.close();
    },
  };
}

/**
 * A Node platform whose `setTimeout` remembers the delay of the timer whose callback is running,
 * so a Manager listener (`reconnect_attempt`) can read the delay the Manager chose.
 */
export function delayReportingPlatform(): { platform: Platform; runningDelay(): number | undefined } {
  const base = createNodePlatform();
  let running: number | undefined;
  const platform: Platform = {
    ...base,
    setTimeout: (callback, ms) =>
      base.setTimeout(() => {
        running = ms;
        try {
          callback();
        } finally {
          running = undefined;
        }
      }, ms),
  };
  return { platform, runningDelay: () => running };
}

/** A deterministic random source cycling through `values`, counting its calls. */
export function scriptedRandom(values: readonly number[]): { random: () => number; calls(): number } {
  let i = 0;
  return { random: () => values[i++ % values.length]!, calls: () => i };
}
