/**
 * The server side of the runner's control protocol (see `../messages.ts`), shared by every
 * server script so that all targets are measured the same way.
 */
import type { Server as HttpServer } from "node:http";
import { createInterface } from "node:readline";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { CpuSample, MemorySample } from "../messages.js";

/** Reads `--port N` from argv, or `BENCH_PORT` from the environment; 0 lets the OS choose. */
export function readPort(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const index = argv.indexOf("--port");
  const raw = index >= 0 ? argv[index + 1] : env["BENCH_PORT"];
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`The port must be an integer from 0 to 65535, got ${String(raw)}.`);
  }
  return port;
}

/** Listens on 127.0.0.1 and resolves with the bound port. */
export function listenLocal(server: HttpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // A large backlog so that connection bursts are not dropped by the kernel before the
    // server sees them (the load generator also caps handshakes in flight).
    server.listen({ host: "127.0.0.1", port, backlog: 4096 }, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("no TCP address"));
      else resolve(address.port);
    });
  });
}

/** Collects twice, a turn apart, so that objects freed by close callbacks are gone too. */
async function collect(): Promise<void> {
  if (gc === undefined) throw new Error("global.gc is missing; start the server with --expose-gc");
  gc();
  await nextTurn();
  gc();
}

function memorySample(): MemorySample {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

async function answer(line: string): Promise<string> {
  switch (line.trim()) {
    case "mem gc":
      await collect();
      return "MEM " + JSON.stringify(memorySample());
    case "mem":
      return "MEM " + JSON.stringify(memorySample());
    case "cpu": {
      const cpu: CpuSample = process.cpuUsage();
      return "CPU " + JSON.stringify(cpu);
    }
    default:
      return "ERROR unknown control command " + JSON.stringify(line);
  }
}

/**
 * Prints `READY <port>` and serves control commands on stdin until `quit` or end of input,
 * then calls `close` and exits.
 */
export function serveControl(port: number, close: () => Promise<void>): void {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    lines.close();
    // The runner kills us anyway if closing hangs; exit promptly either way.
    const timer = setTimeout(() => process.exit(0), 1000);
    timer.unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  lines.on("line", (line) => {
    if (line.trim() === "quit") {
      stop();
      return;
    }
    answer(line).then(
      (reply) => process.stdout.write(reply + "\n"),
      (error: unknown) => process.stdout.write(`ERROR ${String(error)}\n`),
    );
  });
  lines.on("close", stop);
  process.stdout.write(`READY ${port}\n`);
}
