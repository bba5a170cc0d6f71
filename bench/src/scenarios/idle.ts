/**
 * Idle connections: server memory per connection. Heap and RSS are sampled after two forced
 * collections before connecting and again once N connections are established and idle; the
 * difference is divided by N.
 */
import { requireOpened, sleep, withProcesses, type ScenarioSpec } from "./scenario.js";

export const idleScenario: ScenarioSpec = {
  name: "idle",
  title: (p) => `idle connections: ${p.idle.connections} held open, memory per connection after gc`,
  reps: () => 1,
  metrics: [
    { key: "connections", label: "connections open", digits: 0 },
    { key: "heapPerConn", label: "heap bytes/conn", digits: 0 },
    { key: "rssPerConn", label: "RSS bytes/conn", digits: 0 },
    { key: "externalPerConn", label: "external bytes/conn", digits: 0, ratio: false },
    { key: "baselineHeapMB", label: "baseline heap MB", digits: 1 },
    { key: "baselineRssMB", label: "baseline RSS MB", digits: 1 },
  ],
  run: (context) =>
    withProcesses(context, async (server, loadgen) => {
      const { connections, concurrency, settleMs } = context.params.idle;
      const before = await server.memory(true);
      const connected = await loadgen.run({ op: "connect", count: connections, concurrency, group: "default" });
      const opened = requireOpened(connected, "idle");
      await sleep(settleMs);
      const after = await server.memory(true);
      return {
        connections: opened,
        heapPerConn: (after.heapUsed - before.heapUsed) / opened,
        rssPerConn: (after.rss - before.rss) / opened,
        externalPerConn: (after.external - before.external) / opened,
        baselineHeapMB: before.heapUsed / 2 ** 20,
        baselineRssMB: before.rss / 2 ** 20,
      };
    }),
};
