/** A running server process: start, control protocol, stop. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildRegistry } from "./child-registry.js";
import { placeCommand, type BenchEnvironment } from "./environment.js";
import { LineChannel } from "./line-channel.js";
import type { CpuSample, MemorySample } from "./messages.js";
import type { TargetSpec } from "./targets.js";

const START_TIMEOUT_MS = 15_000;
const CONTROL_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 2_000;

/** The target's server library cannot be loaded; the runner skips the target. */
export class TargetUnavailableError extends Error {
  readonly code = "TARGET_UNAVAILABLE";
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`${target} is unavailable: ${reason}`);
    this.name = "TargetUnavailableError";
  }
}

export class ServerHandle {
  private constructor(
    readonly target: TargetSpec,
    readonly port: number,
    readonly channel: LineChannel,
  ) {}

  /** Starts the target's server on a free 127.0.0.1 port and waits for `READY <port>`. */
  static async start(target: TargetSpec, env: BenchEnvironment, registry: ChildRegistry): Promise<ServerHandle> {
    const placed = placeCommand(env, "server", ["--expose-gc", fileURLToPath(target.script), "--port", "0"]);
    const child = spawn(placed.command, placed.args, { stdio: ["pipe", "pipe", "pipe"] });
    registry.add(child);
    const channel = new LineChannel(`${target.name} server`, child);
    try {
      const line = await channel.expect(["READY ", "UNAVAILABLE "], START_TIMEOUT_MS);
      if (line.startsWith("UNAVAILABLE "))
        throw new TargetUnavailableError(target.name, line.slice("UNAVAILABLE ".length));
      const port = Number(line.slice("READY ".length));
      if (!Number.isInteger(port) || port <= 0)
        throw new Error(`${target.name} server: bad READY line ${JSON.stringify(line)}`);
      return new ServerHandle(target, port, channel);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** The Socket.IO WebSocket endpoint, as a client connecting without polling would use it. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/socket.io/?EIO=4&transport=websocket`;
  }

  /** `process.memoryUsage()` of the server, after two full collections when `collect`. */
  async memory(collect: boolean): Promise<MemorySample> {
    return JSON.parse(
      await this.channel.request(collect ? "mem gc" : "mem", "MEM", CONTROL_TIMEOUT_MS),
    ) as MemorySample;
  }

  /** Cumulative `process.cpuUsage()` of the server, in microseconds. */
  async cpu(): Promise<CpuSample> {
    return JSON.parse(await this.channel.request("cpu", "CPU", CONTROL_TIMEOUT_MS)) as CpuSample;
  }

  /** Asks the server to quit, then kills it if it has not exited within two seconds. */
  async stop(): Promise<void> {
    await stopChild(this.channel, "quit", STOP_GRACE_MS);
  }
}

/** Sends `line` (or closes stdin) and SIGKILLs the child if it is still alive after `graceMs`. */
export async function stopChild(channel: LineChannel, line: string | undefined, graceMs: number): Promise<void> {
  const child = channel.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (line !== undefined) channel.send(line);
  child.stdin.end();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
}

/** CPU time between two samples, in microseconds. */
export function cpuDelta(before: CpuSample, after: CpuSample): number {
  return after.user - before.user + (after.system - before.system);
}

/** Share of kernel time in the CPU time between two samples, in percent (JSON only). */
export function systemShare(before: CpuSample, after: CpuSample): number {
  const total = cpuDelta(before, after);
  return total === 0 ? Number.NaN : ((after.system - before.system) / total) * 100;
}
