/** Scenario sizes for the full and the quick run, and the command-line overrides. */

export interface IdleParams {
  /** Connections held open. @default 10_000 (quick: 2_000) */
  connections: number;
  /** Handshakes in flight at once while connecting. @default 100 */
  concurrency: number;
  /** Wait between the last connect and the memory sample. @default 2_000 ms (quick: 500) */
  settleMs: number;
}

export interface EchoParams {
  /** Clients, each with one acked echo in flight. @default 50 */
  clients: number;
  /** Duration of one repetition. @default 5 s (quick: 2) */
  seconds: number;
  /** Unmeasured echo run first, so that JIT compilation is not billed to the measured run. @default 1 s (quick: 0.5) */
  warmupSeconds: number;
  /** Length of the echoed string. @default 32 */
  payloadBytes: number;
  /** Repetitions (median reported). @default 3 (quick: 1) */
  reps: number;
}

export interface BroadcastParams {
  /** Receiving clients. @default 1_000 */
  clients: number;
  /** Broadcasts per second. @default 50 */
  ratePerSec: number;
  /** Duration of one repetition. @default 4 s (quick: 2) */
  seconds: number;
  /** Unmeasured fan-out run first (JIT warm-up). @default 1 s (quick: 0.5) */
  warmupSeconds: number;
  /** Padding string length in each tick. @default 32 */
  payloadBytes: number;
  /** Wait for late deliveries after the last trigger. @default 3_000 ms (quick: 2_000) */
  drainMs: number;
  /** Repetitions (median reported). @default 3 (quick: 1) */
  reps: number;
}

export interface ConnectParams {
  /** Connections opened, timed. @default 2_000 (quick: 500) */
  connections: number;
  /** Handshakes in flight at once. @default 50 */
  concurrency: number;
  /** Connections opened and closed before the timed ones (JIT warm-up). @default 200 (quick: 100) */
  warmupConnections: number;
  /** Repetitions, each against a fresh server (median reported). @default 3 (quick: 1) */
  reps: number;
}

export interface OverloadParams {
  /** Clients that keep reading. @default 10 */
  fastClients: number;
  /** Clients that stop reading, then disconnect. @default 50 (quick: 20) */
  slowClients: number;
  /** Broadcasts per second while the slow clients do not read. @default 50 */
  ratePerSec: number;
  /** Duration of the flood. @default 6 s (quick: 3) */
  seconds: number;
  /**
   * Padding in each broadcast. Large enough that each slow client is sent more than the
   * loopback TCP buffers absorb (a few MB), so the excess queues in the server process.
   * @default 65_536
   */
  payloadBytes: number;
  /** Wait after the slow clients disconnect before the final memory sample. @default 1_000 ms */
  settleMs: number;
}

export interface BenchParams {
  mode: "full" | "quick";
  idle: IdleParams;
  echo: EchoParams;
  broadcast: BroadcastParams;
  connect: ConnectParams;
  overload: OverloadParams;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value))
    if (typeof inner === "object" && inner !== null) deepFreeze(inner as object);
  return Object.freeze(value);
}

export const FULL_PARAMS: Readonly<BenchParams> = deepFreeze({
  mode: "full",
  idle: { connections: 10_000, concurrency: 100, settleMs: 2_000 },
  echo: { clients: 50, seconds: 5, warmupSeconds: 1, payloadBytes: 32, reps: 3 },
  broadcast: {
    clients: 1_000,
    ratePerSec: 50,
    seconds: 4,
    warmupSeconds: 1,
    payloadBytes: 32,
    drainMs: 3_000,
    reps: 3,
  },
  connect: { connections: 2_000, concurrency: 50, warmupConnections: 200, reps: 3 },
  overload: { fastClients: 10, slowClients: 50, ratePerSec: 50, seconds: 6, payloadBytes: 65_536, settleMs: 1_000 },
});

export const QUICK_PARAMS: Readonly<BenchParams> = deepFreeze({
  mode: "quick",
  idle: { connections: 2_000, concurrency: 100, settleMs: 500 },
  echo: { clients: 50, seconds: 2, warmupSeconds: 0.5, payloadBytes: 32, reps: 1 },
  broadcast: {
    clients: 1_000,
    ratePerSec: 50,
    seconds: 2,
    warmupSeconds: 0.5,
    payloadBytes: 32,
    drainMs: 2_000,
    reps: 1,
  },
  connect: { connections: 500, concurrency: 50, warmupConnections: 100, reps: 1 },
  overload: { fastClients: 10, slowClients: 20, ratePerSec: 50, seconds: 3, payloadBytes: 65_536, settleMs: 1_000 },
});

/** Command-line overrides applied on top of the full or quick sizes. */
export interface ParamOverrides {
  /** Upper bound on every connection count (idle, connect, fan-out, echo, overload clients). */
  connections?: number;
  /** Duration of every timed scenario, in seconds. */
  seconds?: number;
  /** Repetitions of every repeated scenario. */
  reps?: number;
}

/** The parameters for a run: a deep copy of the base sizes with the overrides applied. */
export function resolveParams(quick: boolean, overrides: ParamOverrides): BenchParams {
  const p = structuredClone(quick ? QUICK_PARAMS : FULL_PARAMS) as BenchParams;
  const { connections: cap, seconds, reps } = overrides;
  if (cap !== undefined) {
    p.idle.connections = Math.min(p.idle.connections, cap);
    p.echo.clients = Math.min(p.echo.clients, cap);
    p.broadcast.clients = Math.min(p.broadcast.clients, cap);
    p.connect.connections = Math.min(p.connect.connections, cap);
    p.connect.warmupConnections = Math.min(p.connect.warmupConnections, cap);
    p.overload.fastClients = Math.min(p.overload.fastClients, cap);
    p.overload.slowClients = Math.min(p.overload.slowClients, cap);
  }
  if (seconds !== undefined) {
    p.echo.seconds = seconds;
    p.broadcast.seconds = seconds;
    p.overload.seconds = seconds;
  }
  if (reps !== undefined) {
    p.echo.reps = reps;
    p.broadcast.reps = reps;
    p.connect.reps = reps;
  }
  return p;
}

/**
 * Lowers connection counts that would exceed the open-files limit (each connection is one file
 * descriptor in the server and one in the load generator). Returns one note per change.
 */
export function fitToFdLimit(p: BenchParams, fdLimit: number | undefined): string[] {
  if (fdLimit === undefined || !Number.isFinite(fdLimit)) return [];
  const max = Math.max(10, fdLimit - 256);
  const notes: string[] = [];
  const fit = (label: string, value: number): number => {
    if (value <= max) return value;
    notes.push(`${label} lowered from ${value} to ${max} (open-files limit ${fdLimit}; raise it with ulimit -n)`);
    return max;
  };
  p.idle.connections = fit("idle connections", p.idle.connections);
  p.connect.connections = fit("connect-rate connections", p.connect.connections);
  p.broadcast.clients = fit("fan-out clients", p.broadcast.clients);
  return notes;
}
