/**
 * One cluster node in its own process: an omnio server (or, with `KIND=socket.io`, the official
 * socket.io + @socket.io/redis-adapter) on a Redis adapter, driven by the test over IPC.
 * Env: REDIS_PORT, NAME, KIND (omnio | socket.io), MODE (pubsub | streams), ROUTING (1 | 0),
 * RECOVERY (1 to enable connection state recovery), PORT (0 = any).
 * Sends `{ ready: port }` once listening; answers `{ id, result }` or `{ id, error }` to commands.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { Server as OmnioServer } from "@omnio/server";
import { createAdapter } from "@omnio/redis-adapter";

const env = process.env;
const name = env["NAME"] ?? "node";
const kind = env["KIND"] ?? "omnio";
const redisPort = Number(env["REDIS_PORT"]);
const recovery = env["RECOVERY"] === "1";

const pub = new Redis(redisPort, "127.0.0.1");
const sub = pub.duplicate();
const redisErrors: string[] = [];
pub.on("error", () => {});
sub.on("error", () => {});

const http = createServer();
const serverOpts: any = {
  pingInterval: Number(env["PING_INTERVAL"] ?? 2000),
  pingTimeout: 2000,
  ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 30_000 } } : {}),
};
let io: any;
if (kind === "omnio") {
  serverOpts.adapter = createAdapter(pub, sub, {
    mode: env["MODE"] === "streams" ? "streams" : "pubsub",
    routing: env["ROUTING"] !== "0",
    requestsTimeout: Number(env["REQUESTS_TIMEOUT"] ?? 2000),
    maxDisconnectionDuration: 30_000,
    sessionRefreshInterval: 1000,
  });
  io = new OmnioServer(http, serverOpts);
  io.of("/").adapter.on("error", (err: Error & { code?: string }) => redisErrors.push(`${err.code}: ${err.message}`));
} else {
  // Loaded only here: the omnio nodes start faster without the official packages.
  const { Server: SioServer } = await import("socket.io");
  const { createAdapter: officialCreateAdapter } = await import("@socket.io/redis-adapter");
  serverOpts.adapter = officialCreateAdapter(pub, sub, { requestsTimeout: Number(env["REQUESTS_TIMEOUT"] ?? 2000) });
  io = new SioServer(http, serverOpts);
}

io.on("connection", (socket: any) => {
  if (!socket.recovered) socket.data = { node: name, user: socket.handshake.auth?.user ?? null };
  socket.on("join", (room: string, cb?: () => void) => {
    socket.join(room);
    cb?.();
  });
  socket.on("leave", (room: string, cb?: () => void) => {
    socket.leave(room);
    cb?.();
  });
  socket.on("whoami", (cb: (v: unknown) => void) => cb({ node: name, id: socket.id, recovered: socket.recovered }));
});
io.on("whois", (cb: (v: unknown) => void) => cb(name));
io.on("hello-nodes", (from: string) => {
  received.push(`hello-nodes from ${from}`);
});
const received: string[] = [];

let ticker: ReturnType<typeof setInterval> | undefined;
let tickCount = 0;

function target(to?: string[], except?: string[], flags?: string[]): any {
  let op: any = io;
  for (const f of flags ?? []) op = op[f];
  if (to && to.length) op = op.to(to);
  if (except && except.length) op = op.except(except);
  return op;
}

const commands: Record<string, (a: any) => unknown> = {
  emitBinary: (a) => target(a.to).emit(a.ev, Buffer.from(a.bytes), { nested: Buffer.from(a.bytes) }),
  emit: (a) => target(a.to, a.except, a.flags).emit(a.ev, ...a.args),
  emitWithAck: (a) =>
    target(a.to, a.except)
      .timeout(a.timeout)
      .emitWithAck(a.ev, ...a.args),
  emitAckPartial: (a) =>
    new Promise((resolve) => {
      target(a.to)
        .timeout(a.timeout)
        .emit(a.ev, ...a.args, (err: Error | null, responses: unknown[]) =>
          resolve({ error: err ? err.message : null, responses }),
        );
    }),
  fetchSockets: async (a) => {
    const sockets = await target(a.to, a.except, a.flags).fetchSockets();
    return sockets.map((s: any) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data, auth: s.handshake?.auth }));
  },
  fetchSocketsError: async (a) => {
    try {
      await target(a.to).timeout(a.timeout).fetchSockets();
      return { ok: true };
    } catch (err: any) {
      return {
        code: err.code,
        message: err.message,
        partial: (err.partial ?? []).map((s: any) => s.id),
        expected: err.expected,
        received: err.received,
      };
    }
  },
  remoteOp: async (a) => {
    const sockets = await target(a.to).fetchSockets();
    for (const s of sockets) {
      if (a.op === "emit") s.emit(a.ev, ...a.args);
      else if (a.op === "join") s.join(a.room);
      else if (a.op === "leave") s.leave(a.room);
      else if (a.op === "disconnect") s.disconnect(true);
    }
    return sockets.length;
  },
  socketsJoin: (a) => target(a.to).socketsJoin(a.room),
  socketsLeave: (a) => target(a.to).socketsLeave(a.room),
  disconnectSockets: (a) => target(a.to).disconnectSockets(a.close),
  serverSideEmit: (a) => io.serverSideEmit(a.ev, ...a.args),
  serverSideEmitWithAck: async (a) => {
    try {
      return { responses: await io.serverSideEmitWithAck(a.ev, ...a.args) };
    } catch (err: any) {
      return { code: err.code, message: err.message, partial: err.partial };
    }
  },
  serverCount: () => io.of("/").adapter.serverCount(),
  received: () => received.splice(0),
  redisErrors: () => redisErrors.slice(),
  localSockets: () => [...io.of("/").sockets.keys()],
  startTicker: (a) => {
    tickCount = 0;
    ticker = setInterval(() => {
      for (let i = 0; i < (a.burst ?? 1); i++) target(a.to).emit("tick", tickCount++);
    }, a.every ?? 10);
  },
  stopTicker: () => {
    clearInterval(ticker);
    return tickCount;
  },
  inbound: () => io.of("/").adapter.inbound ?? null,
  subscriptions: () => pub.pubsub("CHANNELS", "*"),
};

process.on("message", async (msg: any) => {
  try {
    const result = await commands[msg.cmd]!(msg.args ?? {});
    process.send!({
      id: msg.id,
      result: typeof result === "object" || typeof result === "number" || typeof result === "string" ? result : null,
    });
  } catch (err: any) {
    process.send!({ id: msg.id, error: String(err?.stack ?? err) });
  }
});
process.on("disconnect", () => process.exit(0));

http.listen(Number(env["PORT"] ?? 0), "127.0.0.1", () => {
  process.send!({ ready: (http.address() as AddressInfo).port });
});
setTimeout(() => process.exit(0), 120_000).unref();
