/**
 * Cluster benchmark: broadcast throughput of 1, 2 and 3 nodes on one Redis, and what each node
 * receives from Redis, for omnio with interest-based routing on, omnio with it off (pattern
 * subscription, as the official adapter) and socket.io 4.8.4 + @socket.io/redis-adapter 8.3.0.
 *
 *   npm run build && node bench/dist/cluster.js [--quick] [--reps R] [--messages M] [--nodes 1,2,3]
 *
 * Workload: 12 rooms × 4 clients; room r's clients are on node r mod N (each room lives on one
 * node, as with sharded chat rooms); every node broadcasts M/N messages (100-byte payload) to
 * the rooms in rotation, as fast as it can; the run ends when every client got every message
 * of its room. Throughput = broadcasts (and deliveries) per second; inbound = pub/sub messages
 * and bytes each node's subscriber connection received, counted on the ioredis client; CPU =
 * user + system time of all node processes, and of redis-server, per 1000 broadcasts (less sensitive than wall-clock
 * throughput to other load on the machine).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { freePort } from "@omnio/testkit";
import { RoomClient } from "./cluster-clients.js";

const VARIANTS = ["omnio-routing", "omnio-all", "socketio"] as const;
type Variant = (typeof VARIANTS)[number];
const ROOMS = 12;
const PER_ROOM = 4;
const SIZE = 100;

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes("--quick");
const reps = Number(flag("--reps") ?? (quick ? 2 : 3));
const messages = Number(flag("--messages") ?? (quick ? 1200 : 3000));
const nodeCounts = (flag("--nodes") ?? "1,2,3").split(",").map(Number);

const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(1));

/** Spawns a child and resolves with the first stdout line starting with `word`. */
function spawnUntil(cmd: string, args: string[], word: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not print ${word}`)), 30_000);
    rl.on("line", (line) => {
      if (!line.includes(word)) return;
      clearTimeout(timer);
      rl.removeAllListeners("line");
      resolve({ child, line });
    });
    child.once("exit", (code) => reject(new Error(`${cmd} exited (${code}) before ${word}`)));
  });
}

/** Redis's own CPU time so far (`INFO cpu`: used_cpu_user + used_cpu_sys), in ms, over a raw RESP request. */
function redisCpuMs(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    let text = "";
    sock.on("error", reject);
    sock.on("data", (chunk) => {
      text += chunk.toString();
      const user = /used_cpu_user:([\d.]+)/.exec(text);
      const sys = /used_cpu_sys:([\d.]+)/.exec(text);
      if (user && sys && text.endsWith("\r\n")) {
        sock.destroy();
        resolve((Number(user[1]) + Number(sys[1])) * 1000);
      }
    });
    sock.write("*2\r\n$4\r\nINFO\r\n$3\r\ncpu\r\n");
  });
}

class Node {
  readonly #waiters: Array<{ word: string; resolve: (rest: string) => void }> = [];
  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const w = this.#waiters[0];
      if (w && line.startsWith(w.word + " ")) {
        this.#waiters.shift();
        w.resolve(line.slice(w.word.length + 1));
      }
    });
  }
  request(line: string, word: string): Promise<string> {
    return new Promise((resolve) => {
      this.#waiters.push({ word, resolve });
      this.child.stdin!.write(line + "\n");
    });
  }
  send(line: string): void {
    this.child.stdin!.write(line + "\n");
  }
}

async function startNode(variant: Variant, redisPort: number): Promise<Node> {
  const script = fileURLToPath(new URL("./cluster-node.js", import.meta.url));
  const { child, line } = await spawnUntil(process.execPath, [script, variant, String(redisPort)], "READY");
  return new Node(child, Number(line.split(" ")[1]));
}

interface Rep {
  seconds: number;
  broadcastsPerSec: number;
  deliveriesPerSec: number;
  inboundMessages: number[];
  inboundBytes: number[];
  cpuMicros: number[];
  redisCpuMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runConfig(variant: Variant, n: number, redisPort: number): Promise<Rep[]> {
  const nodes = await Promise.all(Array.from({ length: n }, () => startNode(variant, redisPort)));
  const rooms = Array.from({ length: ROOMS }, (_, r) => `room-${r}`);
  const clients: RoomClient[] = [];
  for (let r = 0; r < ROOMS; r++) {
    for (let c = 0; c < PER_ROOM; c++) clients.push(await RoomClient.open(nodes[r % n]!.port, rooms[r]!));
  }
  await sleep(300); // room subscriptions reach Redis
  const out: Rep[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const c of clients) c.received = 0;
    const before = await Promise.all(nodes.map((x) => x.request("stats", "STATS")));
    const redisBefore = await redisCpuMs(redisPort);
    const per = Math.floor(messages / n);
    const expected = per * n * PER_ROOM;
    const t0 = process.hrtime.bigint();
    nodes.forEach((x, j) => x.send(`fire ${per} ${SIZE} ${JSON.stringify(rooms)} ${j}`));
    const deadline = Date.now() + 60_000;
    let got = 0;
    while ((got = clients.reduce((s, c) => s + c.received, 0)) < expected && Date.now() < deadline) await sleep(2);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (got < expected) throw new Error(`${variant} ×${n}: ${got}/${expected} deliveries after 60 s`);
    await sleep(100); // late inbound messages of this rep
    const after = await Promise.all(nodes.map((x) => x.request("stats", "STATS")));
    const redisAfter = await redisCpuMs(redisPort);
    const delta = (k: "messages" | "bytes" | "cpuMicros"): number[] =>
      after.map(
        (a, i) =>
          (JSON.parse(a) as Record<string, number>)[k]! - (JSON.parse(before[i]!) as Record<string, number>)[k]!,
      );
    out.push({
      seconds,
      broadcastsPerSec: (per * n) / seconds,
      deliveriesPerSec: expected / seconds,
      inboundMessages: delta("messages"),
      inboundBytes: delta("bytes"),
      cpuMicros: delta("cpuMicros"),
      redisCpuMs: redisAfter - redisBefore,
    });
  }
  for (const c of clients) c.close();
  for (const x of nodes) x.send("quit");
  await Promise.all(
    nodes.map((x) => new Promise((r) => (x.child.exitCode !== null ? r(null) : x.child.once("exit", r)))),
  );
  return out;
}

const redisPort = await freePort();
let redis: ChildProcess;
try {
  ({ child: redis } = await spawnUntil(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    "Ready to accept connections",
  ));
} catch (err) {
  console.error(`cluster bench needs redis-server on PATH (apt-get install -y redis-server): ${String(err)}`);
  process.exit(1);
}

const results: Array<{ variant: Variant; nodes: number; reps: Rep[] }> = [];
const started = Date.now();
for (const n of nodeCounts) {
  for (const variant of VARIANTS) {
    process.stderr.write(`cluster bench: ${variant} × ${n} node(s)…\n`);
    results.push({ variant, nodes: n, reps: await runConfig(variant, n, redisPort) });
  }
}
redis.kill("SIGKILL");

const rows = results.map(({ variant, nodes, reps: rs }) => {
  const perNodeMsgs = median(rs.map((r) => r.inboundMessages.reduce((a, b) => a + b, 0) / nodes));
  const perNodeKb = median(rs.map((r) => r.inboundBytes.reduce((a, b) => a + b, 0) / nodes / 1024));
  const total = Math.floor(messages / nodes) * nodes;
  return {
    nodes,
    variant,
    "broadcasts/s": Math.round(median(rs.map((r) => r.broadcastsPerSec))),
    "deliveries/s": Math.round(median(rs.map((r) => r.deliveriesPerSec))),
    "inbound msgs/node": Math.round(perNodeMsgs),
    "inbound KiB/node": Math.round(perNodeKb),
    "inbound share": `${Math.round((100 * perNodeMsgs) / total)}%`,
    "Redis CPU ms / 1000 bc": Math.round(median(rs.map((r) => (r.redisCpuMs / total) * 1000))),
    "nodes CPU ms / 1000 bc": Math.round(
      median(rs.map((r) => (r.cpuMicros.reduce((a, b) => a + b, 0) / 1000 / total) * 1000)),
    ),
  };
});
console.log(
  `cluster bench: ${messages} broadcasts per run (${SIZE} B payload), ${ROOMS} rooms × ${PER_ROOM} clients, ` +
    `medians of ${reps} runs, ${((Date.now() - started) / 1000).toFixed(0)} s, unpinned on ${(
      await import("node:os")
    ).availableParallelism()} CPUs`,
);
console.table(rows);
const outDir = fileURLToPath(new URL("../results/", import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}cluster-latest.json`, JSON.stringify({ messages, reps, results, rows }, null, 2));
process.exit(0);
