/**
 * Connect rate: N connections (WebSocket upgrade, Engine.IO open packet, `/` namespace
 * connect) against a fresh server, with a fixed number of handshakes in flight, after an
 * unmeasured warm-up batch that is opened and closed first.
 */
import { cpuDelta, systemShare } from "../server-handle.js";
import { requireOpened, sleep, withProcesses, type ScenarioSpec } from "./scenario.js";

export const connectScenario: ScenarioSpec = {
  name: "connect",
  title: (p) =>
    `connect rate: ${p.connect.connections} connections, ${p.connect.concurrency} in flight, median of ${p.connect.reps}`,
  reps: (p) => p.connect.reps,
  metrics: [
    { key: "connPerSec", label: "connections/s", digits: 0 },
    { key: "cpuUsPerConn", label: "server CPU µs/conn", digits: 1 },
    { key: "loadgenCpuPct", label: "load generator CPU %", digits: 0 },
    { key: "failed", label: "failed", digits: 0, ratio: false },
  ],
  run: (context) =>
    withProcesses(context, async (server, loadgen) => {
      const { connections, concurrency, warmupConnections } = context.params.connect;
      await loadgen.run({ op: "connect", count: warmupConnections, concurrency, group: "warmup" });
      await loadgen.run({ op: "close", group: "warmup" });
      await sleep(200);
      const cpuBefore = await server.cpu();
      const result = await loadgen.run({ op: "connect", count: connections, concurrency, group: "default" });
      const cpuAfter = await server.cpu();
      const cpu = cpuDelta(cpuBefore, cpuAfter);
      const opened = requireOpened(result, "connect");
      return {
        connPerSec: opened / (result.elapsedMs / 1000),
        cpuUsPerConn: cpu / opened,
        serverSystemPct: systemShare(cpuBefore, cpuAfter),
        loadgenCpuPct: (result.cpuUs / (result.elapsedMs * 1000)) * 100,
        failed: result.failed,
      };
    }),
};
