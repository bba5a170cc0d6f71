/**
 * One node of the cluster benchmark (`cluster.ts`): a Socket.IO server on a Redis adapter.
 * `node cluster-node.js <variant> <redisPort>` with variant `omnio-routing` (@omnio/redis-adapter,
 * routing on), `omnio-all` (routing off: one pattern subscription, as the official adapter) or
 * `socketio` (socket.io 4.8.4 + @socket.io/redis-adapter 8.3.0).
 *
 * Line protocol: prints `READY <port>`; `fire <count> <size> <json rooms> <offset>` → emits
 * `count` broadcasts `io.to(room).emit("m", i, pad)` over `rooms` in rotation, then `FIRED`;
 * `stats` → `STATS {"messages","bytes","cpuMicros"}`: what this node's Redis subscriber connection
 * received (counted on the ioredis client, the same way for every variant) and the process's CPU
 * time so far; `quit`. Clients send
 * `join` with an ack.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the server libraries are imported dynamically (the bench builds before them) */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";

const [variant = "omnio-routing", redisPort = "6379"] = process.argv.slice(2);

// Held in variables so that tsc does not resolve the packages when the bench builds.
const pkg = {
  ioredis: "ioredis",
  omnio: "@omnio/server",
  omnioAdapter: "@omnio/redis-adapter",
  socketio: "socket.io",
  officialAdapter: "@socket.io/redis-adapter",
};
const { Redis } = await import(pkg.ioredis);
const pub = new Redis(Number(redisPort), "127.0.0.1");
const sub = pub.duplicate();
const inbound = { messages: 0, bytes: 0 };
const count = (...args: any[]): void => {
  inbound.messages++;
  inbound.bytes += (args[args.length - 1] as Buffer).length;
};
sub.on("messageBuffer", count);
sub.on("pmessageBuffer", count);

const http = createServer();
const opts: any = { transports: ["websocket"] };
let io: any;
if (variant === "socketio") {
  const { Server } = await import(pkg.socketio);
  const { createAdapter } = await import(pkg.officialAdapter);
  io = new Server(http, { ...opts, adapter: createAdapter(pub, sub) });
} else {
  const { Server } = await import(pkg.omnio);
  const { createAdapter } = await import(pkg.omnioAdapter);
  io = new Server(http, { ...opts, adapter: createAdapter(pub, sub, { routing: variant === "omnio-routing" }) });
}
io.on("connection", (socket: any) => {
  socket.on("join", (room: string, ack: () => void) => {
    socket.join(room);
    ack();
  });
});

function fire(n: number, size: number, rooms: string[], offset: number): Promise<void> {
  const pad = "x".repeat(size);
  return new Promise((resolve) => {
    let i = 0;
    const step = (): void => {
      const end = Math.min(n, i + 200);
      for (; i < end; i++) io.to(rooms[(i + offset) % rooms.length]).emit("m", i, pad);
      if (i < n) setImmediate(step);
      else resolve();
    };
    step();
  });
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const [cmd, ...args] = line.split(" ");
  if (cmd === "fire") {
    void fire(Number(args[0]), Number(args[1]), JSON.parse(args[2]!) as string[], Number(args[3])).then(() =>
      process.stdout.write("FIRED\n"),
    );
  } else if (cmd === "stats") {
    const cpu = process.cpuUsage();
    process.stdout.write(`STATS ${JSON.stringify({ ...inbound, cpuMicros: cpu.user + cpu.system })}\n`);
  } else if (cmd === "quit") {
    process.exit(0);
  }
});
process.stdin.on("end", () => process.exit(0));
http.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${(http.address() as AddressInfo).port}\n`));
