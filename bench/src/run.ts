/**
 * `node bench/dist/run.js [--quick] [--targets socketio,omnio,ws] [--scenarios idle,echo,...]
 *   [--connections N] [--seconds S] [--reps R] [--no-pin] [--out FILE]`
 *
 * Prints the result table and writes the JSON report (default `bench/results/latest.json`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ChildRegistry } from "./child-registry.js";
import { formatReport } from "./report.js";
import { runBench, SCENARIOS, type BenchOptions } from "./run-bench.js";
import type { ScenarioName } from "./scenarios/index.js";
import { isTargetName, type TargetName } from "./targets.js";

const USAGE = `usage: node bench/dist/run.js [--quick] [--targets socketio,omnio,ws]
  [--scenarios idle,echo,broadcast,connect,overload] [--connections N] [--seconds S] [--reps R]
  [--no-pin] [--out FILE]   (see bench/README.md)
`;

const DEFAULT_OUT = fileURLToPath(new URL("../results/latest.json", import.meta.url));

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`--${name} must be a positive number, got ${raw}.`);
  return value;
}

function list<T extends string>(name: string, raw: string | undefined, valid: (s: string) => s is T): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const item of items) if (!valid(item)) throw new TypeError(`--${name}: unknown name ${JSON.stringify(item)}.`);
  return items as T[];
}

function isScenarioName(s: string): s is ScenarioName {
  return SCENARIOS.some((x) => x.name === s);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      targets: { type: "string" },
      scenarios: { type: "string" },
      connections: { type: "string" },
      seconds: { type: "string" },
      reps: { type: "string" },
      "no-pin": { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const options: BenchOptions = {
    quick: values.quick,
    pin: !values["no-pin"],
    log: (message) => process.stderr.write(`[${(performance.now() / 1000).toFixed(1)}s] ${message}\n`),
  };
  const targets = list<TargetName>("targets", values.targets, isTargetName);
  const scenarios = list<ScenarioName>("scenarios", values.scenarios, isScenarioName);
  const connections = positive("connections", values.connections);
  const seconds = positive("seconds", values.seconds);
  const reps = positive("reps", values.reps);
  if (targets !== undefined) options.targets = targets;
  if (scenarios !== undefined) options.scenarios = scenarios;
  if (connections !== undefined) options.connections = Math.floor(connections);
  if (seconds !== undefined) options.seconds = seconds;
  if (reps !== undefined) options.reps = Math.floor(reps);

  const registry = new ChildRegistry();
  // Never leave server or load generator processes behind, however the runner ends.
  process.on("exit", () => registry.killAll());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      registry.killAll();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }

  const report = await runBench(options, registry);
  process.stdout.write(formatReport(report) + "\n");
  const out = resolve(values.out ?? DEFAULT_OUT);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  process.stderr.write(`wrote ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
