/** What a scenario is, and the process plumbing every scenario shares. */
import { setTimeout as sleep } from "node:timers/promises";
import type { ChildRegistry } from "../child-registry.js";
import type { BenchEnvironment } from "../environment.js";
import { LoadgenHandle } from "../loadgen-handle.js";
import type { BenchParams } from "../params.js";
import { ServerHandle } from "../server-handle.js";
import type { TargetSpec } from "../targets.js";

export type ScenarioName = "idle" | "echo" | "broadcast" | "connect" | "overload";

/** One number a scenario reports, as shown in the table. */
export interface MetricSpec {
  key: string;
  label: string;
  /** Decimal places in the table. */
  digits: number;
  /**
   * Whether the omnio ratios make sense: not for differences that hover around zero.
   * @default true
   */
  ratio?: boolean;
}

export interface ScenarioContext {
  readonly target: TargetSpec;
  readonly env: BenchEnvironment;
  readonly registry: ChildRegistry;
  readonly params: BenchParams;
}

export type Metrics = Record<string, number>;

export interface ScenarioSpec {
  readonly name: ScenarioName;
  /** A one-line description including the sizes used. */
  title(params: BenchParams): string;
  /** Repetitions; the report shows the median of each metric. */
  reps(params: BenchParams): number;
  readonly metrics: readonly MetricSpec[];
  run(context: ScenarioContext): Promise<Metrics>;
}

/**
 * Starts a fresh server for the target and a load generator pointed at it, runs `body`, and
 * stops both whatever happens.
 */
export async function withProcesses<T>(
  context: ScenarioContext,
  body: (server: ServerHandle, loadgen: LoadgenHandle) => Promise<T>,
): Promise<T> {
  const server = await ServerHandle.start(context.target, context.env, context.registry);
  try {
    const loadgen = await LoadgenHandle.start(server.url, context.env, context.registry);
    try {
      return await body(server, loadgen);
    } finally {
      await loadgen.stop();
    }
  } finally {
    await server.stop();
  }
}

/** Throws unless at least one connection opened; returns the number opened. */
export function requireOpened(result: { opened: number; failed: number; firstError?: string }, what: string): number {
  if (result.opened === 0) {
    throw new Error(
      `${what}: no connection opened (${result.failed} failed${result.firstError ? ": " + result.firstError : ""})`,
    );
  }
  return result.opened;
}

export { sleep };
