// Smoke test: the quick echo scenario against the `ws` and `socketio` targets with tiny counts.
// It checks only that the processes start, talk and produce numbers; no timing assertions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChildRegistry, runBench, type ScenarioOutcome } from "@omnio/bench";

test("quick echo scenario produces numbers for ws and socketio", { timeout: 20_000 }, async () => {
  const registry = new ChildRegistry();
  try {
    const report = await runBench(
      {
        quick: true,
        targets: ["ws", "socketio"],
        scenarios: ["echo"],
        connections: 20,
        seconds: 2,
        reps: 1,
        pin: false,
      },
      registry,
    );
    assert.equal(report.scenarios.length, 1);
    const echo = report.scenarios[0];
    assert.equal(echo?.name, "echo");
    for (const target of ["ws", "socketio"] as const) {
      assert.equal(report.targets[target]?.available, true, `${target} should start`);
      const outcome: ScenarioOutcome | undefined = echo?.results[target];
      assert.equal(outcome?.error, undefined, `${target}: ${outcome?.error ?? ""}`);
      const metrics = outcome?.metrics;
      assert.ok(metrics !== undefined, `${target} produced no metrics`);
      for (const key of ["acksPerSec", "p50Ms", "p99Ms", "cpuUsPerAck"]) {
        const value = metrics[key];
        assert.ok(typeof value === "number" && Number.isFinite(value) && value >= 0, `${target} ${key} = ${value}`);
      }
      assert.ok((metrics["acksPerSec"] ?? 0) > 0, `${target} acked nothing`);
    }
  } finally {
    registry.killAll();
  }
});
