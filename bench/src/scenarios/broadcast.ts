/**
 * Broadcast fan-out: one client triggers `io.emit("tick", t, pad)` M times a second while N
 * clients receive. Latency is from the trigger's send to each delivery (one clock: the load
 * generator's). Server CPU across the run is divided by the deliveries. An unmeasured warm-up
 * run comes first.
 */
import { cpuDelta, systemShare } from "../server-handle.js";
import { requireOpened, withProcesses, type ScenarioSpec } from "./scenario.js";

export const broadcastScenario: ScenarioSpec = {
  name: "broadcast",
  title: (p) =>
    `broadcast fan-out: ${p.broadcast.clients} clients, ${p.broadcast.ratePerSec} broadcasts/s, ${p.broadcast.seconds} s, ` +
    `${p.broadcast.payloadBytes} B payload, median of ${p.broadcast.reps}`,
  reps: (p) => p.broadcast.reps,
  metrics: [
    { key: "deliveriesPerSec", label: "deliveries/s", digits: 0 },
    { key: "deliveredPct", label: "delivered %", digits: 1 },
    { key: "p50Ms", label: "latency p50 ms", digits: 2 },
    { key: "p99Ms", label: "latency p99 ms", digits: 2 },
    { key: "cpuUsPerDelivery", label: "server CPU µs/delivery", digits: 3 },
    { key: "serverCpuPct", label: "server CPU %", digits: 0 },
    { key: "loadgenCpuPct", label: "load generator CPU %", digits: 0 },
  ],
  run: (context) =>
    withProcesses(context, async (server, loadgen) => {
      const { clients, ratePerSec, seconds, warmupSeconds, payloadBytes, drainMs } = context.params.broadcast;
      requireOpened(
        await loadgen.run({ op: "connect", count: clients, concurrency: 100, group: "default" }),
        "broadcast",
      );
      await loadgen.run({ op: "broadcast", ratePerSec, seconds: warmupSeconds, payloadBytes, drainMs });
      const cpuBefore = await server.cpu();
      const result = await loadgen.run({ op: "broadcast", ratePerSec, seconds, payloadBytes, drainMs });
      const cpuAfter = await server.cpu();
      const cpu = cpuDelta(cpuBefore, cpuAfter);
      if (result.deliveries === 0) throw new Error("broadcast: no tick delivered");
      return {
        deliveriesPerSec: result.deliveries / (result.elapsedMs / 1000),
        deliveredPct: (result.deliveries / result.expected) * 100,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        cpuUsPerDelivery: cpu / result.deliveries,
        serverCpuPct: (cpu / (result.elapsedMs * 1000)) * 100,
        serverSystemPct: systemShare(cpuBefore, cpuAfter),
        loadgenCpuPct: (result.cpuUs / (result.elapsedMs * 1000)) * 100,
      };
    }),
};
