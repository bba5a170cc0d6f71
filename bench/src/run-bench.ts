/**
 * Runs the selected scenarios against every available target and collects the medians. Every
 * scenario repetition gets a fresh server and load generator; targets take turns within each
 * repetition so that slow drifts of the machine affect them alike.
 */
import { loadavg } from "node:os";
import type { ChildRegistry } from "./child-registry.js";
import { detectEnvironment, type BenchEnvironment } from "./environment.js";
import { median } from "./latency-recorder.js";
import { fitToFdLimit, resolveParams, type BenchParams, type ParamOverrides } from "./params.js";
import {
  broadcastScenario,
  connectScenario,
  echoScenario,
  idleScenario,
  overloadScenario,
  type Metrics,
  type ScenarioName,
  type ScenarioSpec,
} from "./scenarios/index.js";
import { ServerHandle, TargetUnavailableError } from "./server-handle.js";
import { TARGETS, type TargetName } from "./targets.js";

/** All scenarios, in the order they run and are reported. */
export const SCENARIOS: readonly ScenarioSpec[] = Object.freeze([
  idleScenario,
  echoScenario,
  broadcastScenario,
  connectScenario,
  overloadScenario,
]);

export interface BenchOptions extends ParamOverrides {
  /** Smaller sizes for a run under a minute. @default false */
  quick?: boolean;
  /** Targets to run, in report order. @default all: socketio, omnio, ws */
  targets?: readonly TargetName[];
  /** Scenarios to run. @default all */
  scenarios?: readonly ScenarioName[];
  /** Pin server and load generator to separate CPUs with taskset when possible. @default true */
  pin?: boolean;
  /** Progress messages; silent when absent. */
  log?: (message: string) => void;
}

export interface TargetStatus {
  title: string;
  available: boolean;
  /** Why the target was skipped. */
  reason?: string;
}

export interface ScenarioOutcome {
  /** Median of each metric over the successful repetitions. */
  metrics?: Metrics;
  /** Every successful repetition. */
  runs: Metrics[];
  /** The first failure, if any repetition failed. */
  error?: string;
}

export interface ScenarioReport {
  name: ScenarioName;
  title: string;
  results: Partial<Record<TargetName, ScenarioOutcome>>;
}

export interface BenchReport {
  meta: {
    date: string;
    node: string;
    platform: string;
    mode: BenchParams["mode"];
    cpus: number;
    pinning: string;
    fdLimit: number | null;
    /** 1-minute load average before and after the run: other work on the machine skews results. */
    loadAverage: { before: number; after: number };
    notes: string[];
    elapsedSeconds: number;
  };
  params: BenchParams;
  targets: Partial<Record<TargetName, TargetStatus>>;
  scenarios: ScenarioReport[];
}

async function probeTarget(name: TargetName, env: BenchEnvironment, registry: ChildRegistry): Promise<TargetStatus> {
  const target = TARGETS.find((t) => t.name === name);
  if (target === undefined) return { title: name, available: false, reason: "unknown target" };
  try {
    const server = await ServerHandle.start(target, env, registry);
    await server.stop();
    return { title: target.title, available: true };
  } catch (error) {
    const reason = error instanceof TargetUnavailableError ? error.reason : `failed to start: ${errorText(error)}`;
    return { title: target.title, available: false, reason };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function medianMetrics(runs: readonly Metrics[]): Metrics {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const result: Metrics = {};
  for (const key of keys) result[key] = median(runs.map((r) => r[key] ?? Number.NaN));
  return result;
}

export async function runBench(options: BenchOptions, registry: ChildRegistry): Promise<BenchReport> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const log = options.log ?? (() => {});
  const env = detectEnvironment(options.pin ?? true);
  const params = resolveParams(options.quick ?? false, options);
  const notes = fitToFdLimit(params, env.fdLimit);
  for (const note of notes) log(`note: ${note}`);
  log(`placement: ${env.pinningNote}`);
  if (loadBefore > 0.5)
    log(`note: load average is ${loadBefore.toFixed(2)}; other work on this machine will skew the results`);

  const targets: Partial<Record<TargetName, TargetStatus>> = {};
  const runnable: TargetName[] = [];
  for (const name of options.targets ?? TARGETS.map((t) => t.name)) {
    const status = await probeTarget(name, env, registry);
    targets[name] = status;
    if (status.available) runnable.push(name);
    else log(`skipping target ${name}: ${status.reason ?? "unavailable"}`);
  }

  const selected = SCENARIOS.filter((s) => options.scenarios === undefined || options.scenarios.includes(s.name));
  const scenarios: ScenarioReport[] = [];
  for (const scenario of selected) {
    const report: ScenarioReport = { name: scenario.name, title: scenario.title(params), results: {} };
    for (const name of runnable) report.results[name] = { runs: [] };
    const reps = scenario.reps(params);
    for (let rep = 1; rep <= reps; rep++) {
      for (const name of runnable) {
        const outcome = report.results[name] as ScenarioOutcome;
        const target = TARGETS.find((t) => t.name === name);
        if (target === undefined) continue;
        log(`${scenario.name} ${name} ${rep}/${reps}`);
        try {
          outcome.runs.push(await scenario.run({ target, env, registry, params }));
        } catch (error) {
          outcome.error ??= errorText(error);
          log(`  ${scenario.name} ${name} failed: ${errorText(error)}`);
        }
      }
    }
    for (const outcome of Object.values(report.results)) {
      if (outcome.runs.length > 0) outcome.metrics = medianMetrics(outcome.runs);
    }
    scenarios.push(report);
  }

  return {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      mode: params.mode,
      cpus: env.cpus,
      pinning: env.pinningNote,
      fdLimit: env.fdLimit === undefined || !Number.isFinite(env.fdLimit) ? null : env.fdLimit,
      loadAverage: { before: loadBefore, after: loadavg()[0] ?? Number.NaN },
      notes,
      elapsedSeconds: (performance.now() - started) / 1000,
    },
    params,
    targets,
    scenarios,
  };
}
