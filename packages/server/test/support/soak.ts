/**
 * A soak run: many official `socket.io-client` clients over WebSocket, polling and upgrade
 * connect, join rooms, emit with acks, receive broadcasts, disconnect and reconnect in
 * rounds, against a server in a child process (`soak-server.ts`, started with `--expose-gc`).
 *
 * Broadcasts are checked without timing: the server acks a `shout` with the ids of the
 * sockets it sent `news` to; afterwards every client sends one more ack-ed message, and its
 * ack arrives after any `news` the server queued for it before, on the same connection. So
 * once every such ack is in, each recipient still connected must have every `news`.
 *
 * Used by `soak.test.ts` (bounded) and `scripts/soak-server.mjs` (long, with heap samples).
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { once } from "./servers.js";
import { Prng } from "./wire-fuzz.js";

export interface SoakOptions {
  clients: number;
  /** Length of the churn loop (after a warm-up round). */
  seconds: number;
  /** @default 5 */
  rooms?: number;
  seed?: number;
  /** Called with each heap sample (bytes, after gc in the server process). */
  onSample?: (sample: HeapSample) => void;
}

export interface HeapSample {
  atMs: number;
  heapUsed: number;
  sessions: number;
}

export interface SoakResult {
  rounds: number;
  connects: number;
  acksSent: number;
  acksReceived: number;
  broadcasts: number;
  deliveries: number;
  /** Broadcasts a recipient that stayed connected never received (`news <n> to <id>`). */
  missing: string[];
  /** Unexpected disconnects, failed connects, ack timeouts. */
  errors: string[];
  baselineHeap: number;
  finalHeap: number;
  samples: HeapSample[];
}

/** The server process: IPC request/response, one at a time. */
class ServerProcess {
  readonly child: ChildProcess;

  constructor() {
    const main = fileURLToPath(new URL("./soak-server.js", import.meta.url));
    this.child = fork(main, [], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  }

  ask<T>(msg: string | null, key: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off("message", onMessage);
        reject(new Error(`soak server: no "${key}" answer`));
      }, timeoutMs);
      const onMessage = (m: Record<string, unknown>): void => {
        if (!(key in m)) return;
        clearTimeout(timer);
        this.child.off("message", onMessage);
        resolve(m[key] as T);
      };
      this.child.on("message", onMessage);
      if (msg !== null) this.child.send(msg);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send("close");
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

const TRANSPORTS = [["websocket"], ["polling"], ["polling", "websocket"]] as const;

class SoakClient {
  socket: ClientSocket;
  room = "";
  received = new Set<number>();
  /** False while deliberately disconnected; an unplanned disconnect is an error. */
  wanted = false;

  constructor(
    readonly url: string,
    readonly r: Prng,
    readonly result: SoakResult,
  ) {
    this.socket = this.#create();
  }

  #create(): ClientSocket {
    const socket = ioc(this.url, {
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      transports: [...this.r.pick(TRANSPORTS)],
    });
    socket.on("news", (n: number) => this.received.add(n));
    socket.on("disconnect", (reason) => {
      if (this.wanted) this.result.errors.push(`unexpected disconnect: ${reason}`);
    });
    return socket;
  }

  async connect(rooms: number): Promise<void> {
    this.received.clear();
    // Half of the reconnections reuse the socket object, the others start a new Manager.
    if (this.r.chance(0.5)) {
      this.socket.removeAllListeners();
      this.socket = this.#create();
    }
    this.socket.connect();
    await once(this.socket, "connect", 10_000);
    this.wanted = true;
    this.result.connects++;
    this.room = `room-${this.r.int(rooms)}`;
    await this.ack("join", this.room);
  }

  disconnect(): void {
    this.wanted = false;
    this.socket.disconnect();
  }

  async ack<T>(ev: string, ...args: unknown[]): Promise<T | undefined> {
    this.result.acksSent++;
    try {
      const value = (await this.socket.timeout(10_000).emitWithAck(ev, ...args)) as T;
      this.result.acksReceived++;
      return value;
    } catch (err) {
      this.result.errors.push(`no ack for "${ev}": ${(err as Error).message}`);
      return undefined;
    }
  }
}

/** Runs the soak; always stops the server process and every client. */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const rooms = o.rooms ?? 5;
  const r = new Prng(o.seed ?? 1);
  const result: SoakResult = {
    rounds: 0,
    connects: 0,
    acksSent: 0,
    acksReceived: 0,
    broadcasts: 0,
    deliveries: 0,
    missing: [],
    errors: [],
    baselineHeap: 0,
    finalHeap: 0,
    samples: [],
  };
  const server = new ServerProcess();
  const clients: SoakClient[] = [];
  const started = Date.now();
  const sample = async (): Promise<void> => {
    const heapUsed = await server.ask<number>("heap", "heapUsed");
    const s = { atMs: Date.now() - started, heapUsed, sessions: await server.ask<number>("count", "count") };
    result.samples.push(s);
    o.onSample?.(s);
  };
  const allGone = async (): Promise<void> => {
    for (const c of clients) c.disconnect();
    const deadline = Date.now() + 10_000;
    while ((await server.ask<number>("count", "count")) > 0) {
      if (Date.now() > deadline) throw new Error("sessions left on the server after every client left");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    const port = await server.ask<number>(null, "port");
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < o.clients; i++) clients.push(new SoakClient(url, r, result));

    const round = async (churn: number): Promise<void> => {
      // Only connected clients leave: a client that aborts its polling handshake leaves a
      // session behind until the ping timeout (with socket.io too), which is not a leak.
      const leaving = clients.filter((c) => !c.wanted || r.chance(churn));
      for (const c of leaving) c.disconnect();
      await Promise.all(leaving.map((c) => c.connect(rooms).catch((err: Error) => result.errors.push(err.message))));
      const live = clients.filter((c) => c.wanted);
      await Promise.all(live.map((c) => c.ack("msg", { round: result.rounds, text: "x".repeat(r.int(200)) })));
      const shouts = await Promise.all(
        Array.from({ length: 3 }, async () => {
          const n = result.broadcasts++;
          const from = r.pick(live);
          return { n, ids: (await from.ack<string[]>("shout", `room-${r.int(rooms)}`, n)) ?? [] };
        }),
      );
      await Promise.all(live.map((c) => c.ack("msg", "sync")));
      for (const { n, ids } of shouts) {
        for (const id of ids) {
          const c = live.find((x) => x.socket.id === id);
          if (!c || !c.wanted) continue; // left since (cannot happen between churns)
          result.deliveries++;
          if (!c.received.has(n)) result.missing.push(`news ${n} to ${id}`);
        }
      }
      result.rounds++;
    };

    await round(1); // warm-up: every client connects once
    await allGone();
    result.baselineHeap = await server.ask<number>("heap", "heapUsed");
    await sample();
    let lastSample = Date.now();
    const loopStart = Date.now();
    while (Date.now() - loopStart < o.seconds * 1000) {
      await round(0.2);
      if (Date.now() - lastSample >= 1000) {
        await sample();
        lastSample = Date.now();
      }
    }
    await allGone();
    result.finalHeap = await server.ask<number>("heap", "heapUsed");
    await sample();
    return result;
  } finally {
    for (const c of clients) {
      c.wanted = false;
      c.socket.disconnect();
    }
    await server.stop();
  }
}
