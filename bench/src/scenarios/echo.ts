/**
 * Acked echo: C clients each keep one `echo` with an ack in flight (closed loop) for T seconds.
 * Server CPU is `process.cpuUsage()` (user + system) across the run, divided by the acks. An
 * unmeasured warm-up run comes first.
 */
import { cpuDelta, systemShare } from "../server-handle.js";
import { requireOpened, withProcesses, type ScenarioSpec } from "./scenario.js";

export const echoScenario: ScenarioSpec = {
  name: "echo",
  title: (p) =>
    `acked echo: ${p.echo.clients} clients, closed loop, ${p.echo.seconds} s, ${p.echo.payloadBytes} B payload, median of ${p.echo.reps}`,
  reps: (p) => p.echo.reps,
  metrics: [
    { key: "acksPerSec", label: "acks/s", digits: 0 },
    { key: "p50Ms", label: "latency p50 ms", digits: 2 },
    { key: "p99Ms", label: "latency p99 ms", digits: 2 },
    { key: "cpuUsPerAck", label: "server CPU µs/ack", digits: 2 },
    { key: "serverCpuPct", label: "server CPU %", digits: 0 },
    { key: "loadgenCpuPct", label: "load generator CPU %", digits: 0 },
  ],
  run: (context) =>
    withProcesses(context, async (server, loadgen) => {
      const { clients, seconds, warmupSeconds, payloadBytes } = context.params.echo;
      requireOpened(await loadgen.run({ op: "connect", count: clients, concurrency: 50, group: "default" }), "echo");
      await loadgen.run({ op: "echo", clients, seconds: warmupSeconds, payloadBytes });
      const cpuBefore = await server.cpu();
      const result = await loadgen.run({ op: "echo", clients, seconds, payloadBytes });
      const cpuAfter = await server.cpu();
      const cpu = cpuDelta(cpuBefore, cpuAfter);
      if (result.acks === 0) throw new Error("echo: no ack received");
      return {
        acksPerSec: result.acks / (result.elapsedMs / 1000),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        cpuUsPerAck: cpu / result.acks,
        serverCpuPct: (cpu / (result.elapsedMs * 1000)) * 100,
        serverSystemPct: systemShare(cpuBefore, cpuAfter),
        loadgenCpuPct: (result.cpuUs / (result.elapsedMs * 1000)) * 100,
      };
    }),
};
