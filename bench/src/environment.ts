/** What the machine offers the benchmark: CPU pinning and the open-files limit. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

export interface BenchEnvironment {
  /** CPUs this process may run on. */
  cpus: number;
  /** The CPU for server processes and the one for the load generator, when pinning is on. */
  pinning: { server: number; loadgen: number } | undefined;
  /** One sentence for the report saying how processes were placed and why. */
  pinningNote: string;
  /** Soft limit on open files, inherited by the children; undefined when unknown. */
  fdLimit: number | undefined;
}

/** Parses a Linux CPU list such as `0-3,6` into CPU numbers. */
function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(",")) {
    const [from, to] = part.split("-").map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    const last = to !== undefined && Number.isInteger(to) ? to : from;
    for (let cpu = from; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** CPUs this process may use according to `taskset`, or undefined if `taskset` is missing. */
function allowedCpus(): number[] | undefined {
  const probe = spawnSync("taskset", ["-cp", String(process.pid)], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) return undefined;
  const list = /:\s*([\d,\-\s]+)$/.exec(probe.stdout.trim())?.[1];
  return list === undefined ? undefined : parseCpuList(list);
}

function readFdLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === undefined) return undefined;
    return soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return undefined;
  }
}

/** Detects the environment; `pin: false` turns pinning off even when it is possible. */
export function detectEnvironment(pin: boolean): BenchEnvironment {
  const fdLimit = readFdLimit();
  const cpus = allowedCpus();
  const base = { cpus: cpus?.length ?? availableParallelism(), fdLimit };
  if (!pin) return { ...base, pinning: undefined, pinningNote: "unpinned (--no-pin)" };
  if (cpus === undefined)
    return { ...base, pinning: undefined, pinningNote: "unpinned: taskset (util-linux) not found" };
  const [server, loadgen] = cpus;
  if (server === undefined || loadgen === undefined) {
    return { ...base, pinning: undefined, pinningNote: `unpinned: only ${cpus.length} CPU available` };
  }
  return {
    ...base,
    pinning: { server, loadgen },
    pinningNote: `server on CPU ${server}, load generator on CPU ${loadgen} (taskset)`,
  };
}

/** The command line for a child, prefixed by `taskset -c <cpu>` when pinning is on. */
export function placeCommand(
  env: BenchEnvironment,
  role: "server" | "loadgen",
  args: readonly string[],
): { command: string; args: string[] } {
  if (env.pinning === undefined) return { command: process.execPath, args: [...args] };
  return { command: "taskset", args: ["-c", String(env.pinning[role]), process.execPath, ...args] };
}
