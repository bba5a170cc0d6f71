/**
 * Memory after an overloaded fan-out: some clients stop reading (their TCP sockets are paused,
 * so the kernel buffers fill and the server queues what it cannot write) while the server
 * broadcasts large payloads; then the slow clients disconnect and the server is measured after
 * gc. "Peak" is sampled without gc near the end of the flood; "after" should return close to
 * the baseline if nothing is retained (RSS rarely shrinks fully: freed pages stay with the
 * allocator).
 */
import { requireOpened, sleep, withProcesses, type ScenarioSpec } from "./scenario.js";

const MB = 2 ** 20;

export const overloadScenario: ScenarioSpec = {
  name: "overload",
  title: (p) =>
    `overload: ${p.overload.slowClients} non-reading + ${p.overload.fastClients} reading clients, ` +
    `${p.overload.ratePerSec} × ${p.overload.payloadBytes} B broadcasts/s for ${p.overload.seconds} s, then slow clients drop`,
  reps: () => 1,
  metrics: [
    { key: "peakRssDeltaMB", label: "peak RSS Δ MB", digits: 1 },
    { key: "peakHeapExtDeltaMB", label: "peak heap+external Δ MB", digits: 1 },
    { key: "afterHeapDeltaKB", label: "after: heap Δ KB", digits: 0, ratio: false },
    { key: "afterExternalDeltaKB", label: "after: external Δ KB", digits: 0, ratio: false },
    { key: "afterRssDeltaMB", label: "after: RSS Δ MB", digits: 1 },
    { key: "fastDeliveredPct", label: "reading clients delivered %", digits: 1 },
  ],
  run: (context) =>
    withProcesses(context, async (server, loadgen) => {
      const { fastClients, slowClients, ratePerSec, seconds, payloadBytes, settleMs } = context.params.overload;
      requireOpened(
        await loadgen.run({ op: "connect", count: fastClients, concurrency: 50, group: "default" }),
        "overload",
      );
      requireOpened(
        await loadgen.run({ op: "connect", count: slowClients, concurrency: 50, group: "slow" }),
        "overload",
      );
      const baseline = await server.memory(true);
      await loadgen.run({ op: "pause", group: "slow" });
      const flood = loadgen.run({ op: "broadcast", ratePerSec, seconds, payloadBytes, drainMs: 3_000 });
      await sleep(seconds * 900);
      const peak = await server.memory(false);
      const delivered = await flood;
      await loadgen.run({ op: "close", group: "slow" });
      await sleep(settleMs);
      const after = await server.memory(true);
      return {
        peakRssDeltaMB: (peak.rss - baseline.rss) / MB,
        peakHeapExtDeltaMB: (peak.heapUsed + peak.external - baseline.heapUsed - baseline.external) / MB,
        afterHeapDeltaKB: (after.heapUsed - baseline.heapUsed) / 1024,
        afterExternalDeltaKB: (after.external - baseline.external) / 1024,
        afterRssDeltaMB: (after.rss - baseline.rss) / MB,
        fastDeliveredPct: delivered.expected === 0 ? Number.NaN : (delivered.deliveries / delivered.expected) * 100,
      };
    }),
};
