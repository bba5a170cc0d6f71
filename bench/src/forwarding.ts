/**
 * Forwarding benchmark: what a request pays when the load balancer sends it to a node that
 * does not own its session (`@omnio/cluster`), against the same request sent to the owner (what
 * sticky sessions give). Two node processes: `a` owns every session, `b` forwards.
 *
 *   npm run build && node bench/dist/forwarding.js [--quick] [--rounds N]
 *
 * - polling: one Socket.IO event with ack over HTTP long-polling = a POST (`421["echo",…]`) and
 *   a GET that returns the ack, on a keep-alive connection; round-trip time per event, and CPU
 *   (user + system) of each node per event.
 * - websocket: an acked echo on an upgraded WebSocket, opened directly on `a` or through `b`
 *   (spliced); round-trip time and CPU per echo.
 * The client runs in this process; pin with `taskset` for steadier numbers. No timing is
 * asserted anywhere; the numbers go to the console and `bench/results/forwarding.json`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { freePort } from "@omnio/testkit";
import WebSocket from "ws";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const roundsFlag = argv.indexOf("--rounds");
const ROUNDS = roundsFlag >= 0 ? Number(argv[roundsFlag + 1]) : quick ? 300 : 3000;

const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

function startNode(id: string, port: number, peers: Record<string, string>): Promise<void> {
  const script = fileURLToPath(new URL("./forwarding-node.js", import.meta.url));
  const child = spawn(process.execPath, [script, id, String(port), JSON.stringify(peers)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`node ${id} exited (${code})`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
function http(port: number, path: string, method = "GET", body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function cpu(port: number): Promise<number> {
  return (JSON.parse(await http(port, "/cpu")) as { cpu: number }).cpu;
}

async function session(port: number): Promise<string> {
  const text = await http(port, "/socket.io/?EIO=4&transport=polling");
  const sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
  const q = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  await http(port, q, "POST", "40");
  await http(port, q); // the CONNECT answer
  return sid;
}

interface Result {
  p50: number;
  p99: number;
  cpuA: number;
  cpuB: number;
}

function summary(times: number[], cpuA: number, cpuB: number): Result {
  times.sort((x, y) => x - y);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), cpuA: cpuA / times.length, cpuB: cpuB / times.length };
}

async function pollingRun(owner: number, via: number, ports: number[]): Promise<Result> {
  const sid = await session(owner);
  const q = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  const [a0, b0] = [await cpu(ports[0]!), await cpu(ports[1]!)];
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = process.hrtime.bigint();
    await http(via, q, "POST", `42${i}["echo",${i}]`);
    const got = await http(via, q);
    if (!got.startsWith(`43${i}[`)) throw new Error(`unexpected answer ${got}`);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  const [a1, b1] = [await cpu(ports[0]!), await cpu(ports[1]!)];
  return summary(times, a1 - a0, b1 - b0);
}

async function websocketRun(owner: number, via: number, ports: number[]): Promise<Result> {
  const sid = await session(owner);
  const ws = new WebSocket(`ws://127.0.0.1:${via}/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
  const frames: string[] = [];
  let wake: (() => void) | undefined;
  ws.on("message", (d: Buffer) => {
    frames.push(d.toString());
    wake?.();
  });
  const next = async (): Promise<string> => {
    while (frames.length === 0) await new Promise<void>((r) => (wake = r));
    return frames.shift()!;
  };
  await new Promise((r, j) => ws.once("open", r).once("error", j));
  ws.send("2probe");
  await next();
  ws.send("5");
  const [a0, b0] = [await cpu(ports[0]!), await cpu(ports[1]!)];
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = process.hrtime.bigint();
    ws.send(`42${i}["echo",${i}]`);
    let got = await next();
    while (got === "2") {
      ws.send("3");
      got = await next();
    }
    if (!got.startsWith(`43${i}[`)) throw new Error(`unexpected frame ${got}`);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  const [a1, b1] = [await cpu(ports[0]!), await cpu(ports[1]!)];
  ws.close();
  return summary(times, a1 - a0, b1 - b0);
}

const ports = [await freePort(), await freePort()];
const peers = { a: `http://127.0.0.1:${ports[0]}`, b: `http://127.0.0.1:${ports[1]}` };
await Promise.all([startNode("a", ports[0]!, peers), startNode("b", ports[1]!, peers)]);
const [a, b] = ports as [number, number];
// Warm-up, then measured runs (direct first and forwarded second, twice, best p50 kept).
await pollingRun(a, b, ports);
const runs: Record<string, Result> = {};
for (let rep = 0; rep < 2; rep++) {
  for (const [name, fn] of [
    ["polling direct", () => pollingRun(a, a, ports)],
    ["polling forwarded", () => pollingRun(a, b, ports)],
    ["websocket direct", () => websocketRun(a, a, ports)],
    ["websocket spliced", () => websocketRun(a, b, ports)],
  ] as const) {
    const r = await fn();
    if (!runs[name] || r.p50 < runs[name].p50) runs[name] = r;
  }
}
const rows = Object.entries(runs).map(([name, r]) => ({
  name,
  "p50 µs": Math.round(r.p50),
  "p99 µs": Math.round(r.p99),
  "owner CPU µs/event": Math.round(r.cpuA),
  "forwarder CPU µs/event": Math.round(r.cpuB),
}));
console.table(rows);
mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../results/forwarding.json", import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, rows }, null, 2) + "\n",
);
agent.destroy();
process.exit(0);
