/**
 * The two line protocols between the runner and its child processes. Both travel over the
 * child's stdin (commands, one per line) and stdout (replies, one per line, each starting with a
 * fixed word so stray library output on stdout cannot be mistaken for a reply).
 *
 * Server process (`servers/*.ts`):
 * - prints `READY <port>` once listening on 127.0.0.1, or `UNAVAILABLE <reason>` and exits with
 *   {@link EXIT_UNAVAILABLE} when its server library cannot be loaded;
 * - `mem gc` → `MEM <json MemorySample>` after `global.gc()` (the process runs with
 *   `--expose-gc`); `mem` → the same without collecting first;
 * - `cpu` → `CPU <json CpuSample>` (`process.cpuUsage()`, cumulative, microseconds);
 * - `quit` → closes the server and exits. End of stdin also exits, so an orphaned server
 *   dies with its runner.
 *
 * Load generator (`loadgen/main.ts`): prints `READY`, then answers each JSON
 * {@link LoadgenCommand} line with `RESULT <json>` or `ERROR <message>`.
 */

/** Exit code of a server script whose server library could not be imported. */
export const EXIT_UNAVAILABLE = 3;

/** The fields of `process.memoryUsage()` that the benchmarks report, in bytes. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** `process.cpuUsage()`: cumulative user and system CPU time in microseconds. */
export interface CpuSample {
  user: number;
  system: number;
}

/** Connection groups inside the load generator (`slow` clients get paused, `warmup` ones closed). */
export type ClientGroup = "default" | "slow" | "warmup";

/** Open `count` Socket.IO connections (Engine.IO handshake plus `/` namespace connect). */
export interface ConnectCommand {
  op: "connect";
  count: number;
  /** Handshakes in flight at once; keeps the server's listen backlog from overflowing. */
  concurrency: number;
  group: ClientGroup;
}

/** Every load generator result carries the generator's own CPU time for the command. */
export interface LoadgenCost {
  /** `process.cpuUsage()` user + system of the load generator during the command, µs. */
  cpuUs: number;
}

export interface ConnectResult extends LoadgenCost {
  opened: number;
  failed: number;
  elapsedMs: number;
  firstError?: string;
}

/** Closed-loop acked echo: each of `clients` keeps exactly one `echo` in flight. */
export interface EchoCommand {
  op: "echo";
  clients: number;
  seconds: number;
  payloadBytes: number;
}

export interface EchoResult extends LoadgenCost {
  clients: number;
  acks: number;
  elapsedMs: number;
  latency: LatencySummary;
}

/**
 * Ask the server `ratePerSec` times a second (through one client) to broadcast a `tick` of
 * `payloadBytes` to every connection, and count what the unpaused clients receive.
 */
export interface BroadcastCommand {
  op: "broadcast";
  ratePerSec: number;
  seconds: number;
  payloadBytes: number;
  /** How long to wait after the last trigger for outstanding deliveries. */
  drainMs: number;
}

export interface BroadcastResult extends LoadgenCost {
  triggers: number;
  receivers: number;
  deliveries: number;
  expected: number;
  /** From the first trigger to the last delivery counted. */
  elapsedMs: number;
  latency: LatencySummary;
}

/** Stop reading: pause the TCP socket of every client in `group`. */
export interface PauseCommand {
  op: "pause";
  group: ClientGroup;
}

/** Destroy the TCP socket of every client in `group` (all groups when absent). */
export interface CloseCommand {
  op: "close";
  group?: ClientGroup;
}

export interface CountResult {
  count: number;
}

export type LoadgenCommand = ConnectCommand | EchoCommand | BroadcastCommand | PauseCommand | CloseCommand;

/** Latencies in milliseconds; `samples` may be a uniform subsample of all observations. */
export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}
