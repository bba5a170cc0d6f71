/**
 * The `parser` option on the server's other paths: Redis adapters (pub/sub and streams) carry
 * packet objects between nodes and each node encodes with its own parser, so a broadcast from
 * one node reaches the msgpack clients of another — also when the other node is the official
 * socket.io with @socket.io/redis-adapter; connection state recovery replays missed packets
 * through the custom encoder; the in-memory broadcast path never prepares a text frame from a
 * binary one; an Engine.IO v3 session (`allowEIO3`) goes through the same codec.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as msgpackParser from "socket.io-msgpack-parser";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { Redis } from "ioredis";
import { Server, type ServerOptions } from "@omnio/server";
import { createAdapter } from "@omnio/redis-adapter";
import { freePort, requireProgram, spawnRedisServer } from "@omnio/testkit";
import type { ChildProcess } from "node:child_process";
import { next, nextConnection, pair, startInterop, until, waitConnect } from "./support/interop.js";
import { EioPeer } from "./support/raw-peers.js";
import { once, sleep } from "./support/servers.js";

const LIMIT = { timeout: 60_000 };

const redisProgram = requireProgram({
  name: "redis-server",
  install: "apt-get install -y redis-server",
  what: "The parser option tests with the Redis adapter",
});

async function startRedis(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  return { port, child: await spawnRedisServer(redisProgram.path!, port) };
}

interface Node {
  url: string;
  io: {
    close(): Promise<void> | void;
    emit(ev: string, ...args: unknown[]): unknown;
    to(room: string): { emit(ev: string, ...args: unknown[]): unknown };
    on(
      ev: "connection",
      listener: (socket: {
        join(room: string): unknown;
        on(ev: string, fn: (...args: any[]) => void): unknown;
      }) => void,
    ): unknown;
  };
  close(): Promise<void>;
}

/** A Redis connection whose errors (e.g. at shutdown) are not left unhandled. */
function redisClient(port: number): Redis {
  const client = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 2 });
  client.on("error", () => undefined);
  return client;
}

async function listen(http: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** Serves `join(room, ack)` on a node (omnio or official), listens, and closes it with its Redis clients. */
async function serveNode(
  http: ReturnType<typeof createServer>,
  io: Node["io"],
  redis: { quit(): Promise<unknown> }[],
): Promise<Node> {
  io.on("connection", (socket) =>
    socket.on("join", (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    }),
  );
  const url = await listen(http);
  return {
    url,
    io,
    async close() {
      http.closeAllConnections();
      await io.close();
      // QUIT, not disconnect: commands the adapter sent while closing get their replies first.
      await Promise.allSettled(redis.map((r) => r.quit()));
    },
  };
}

async function omnioNode(redisPort: number, mode: "pubsub" | "streams", extra: ServerOptions = {}): Promise<Node> {
  const pub = redisClient(redisPort);
  const sub = redisClient(redisPort);
  const http = createServer();
  const io = new Server(http, { parser: msgpackParser, adapter: createAdapter(pub, sub, { mode }), ...extra });
  return serveNode(http, io, [pub, sub]);
}

async function officialNode(redisPort: number): Promise<Node> {
  const { Server: SioServer } = await import("socket.io");
  const { createAdapter: officialCreateAdapter } = await import("@socket.io/redis-adapter");
  const pub = redisClient(redisPort);
  const sub = redisClient(redisPort);
  const http = createServer();
  const io = new SioServer(http, { parser: msgpackParser, adapter: officialCreateAdapter(pub, sub) });
  return serveNode(http, io, [pub, sub]);
}

function msgpackClient(url: string, opts: Record<string, unknown> = {}): ClientSocket {
  return ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"], parser: msgpackParser, ...opts });
}

test(
  "Redis adapter: msgpack broadcasts cross omnio nodes (pub/sub, streams) and an official node",
  { ...LIMIT, skip: redisProgram.skip ?? false },
  async () => {
    const redis = await startRedis();
    const nodes: Node[] = [];
    const clients: ClientSocket[] = [];
    try {
      for (const [label, make] of [
        ["pub/sub", () => omnioNode(redis.port, "pubsub")],
        ["streams", () => omnioNode(redis.port, "streams")],
      ] as const) {
        const a = await make();
        const b = await make();
        nodes.push(a, b);
        const ca = msgpackClient(a.url);
        const cb = msgpackClient(b.url);
        clients.push(ca, cb);
        await Promise.all([once(ca, "connect"), once(cb, "connect")]);
        await cb.timeout(5000).emitWithAck("join", "room-" + label);
        const got = next<[string, ArrayBuffer | Buffer]>(cb, "cross");
        // Sent from node a to a room whose only member is on node b, with binary.
        for (let i = 0; i < 20; i++) {
          a.io.to("room-" + label).emit("cross", label, Buffer.from([1, 2, 3]));
          const done = await Promise.race([got.then(() => true), sleep(150).then(() => false)]);
          if (done) break; // the adapter's subscriptions may still be settling at first
        }
        const [text, bin] = await got;
        assert.equal(text, label);
        assert.deepEqual([...(bin instanceof ArrayBuffer ? new Uint8Array(bin) : bin)], [1, 2, 3]);
      }

      // The official socket.io with @socket.io/redis-adapter and the same parser, on the same Redis.
      const omnio = await omnioNode(redis.port, "pubsub");
      const official = await officialNode(redis.port);
      nodes.push(omnio, official);
      const toOfficial = msgpackClient(official.url);
      const toOmnio = msgpackClient(omnio.url);
      clients.push(toOfficial, toOmnio);
      await Promise.all([once(toOfficial, "connect"), once(toOmnio, "connect")]);
      for (const [from, to, label] of [
        [omnio, toOfficial, "omnio → official"],
        [official, toOmnio, "official → omnio"],
      ] as const) {
        const got = next<[string]>(to, "mixed");
        for (let i = 0; i < 20; i++) {
          from.io.emit("mixed", label);
          const done = await Promise.race([got.then(() => true), sleep(150).then(() => false)]);
          if (done) break;
        }
        assert.deepEqual(await got, [label]);
      }
    } finally {
      for (const c of clients) c.disconnect();
      for (const n of nodes) await n.close();
      redis.child.kill("SIGKILL");
    }
  },
);

test("connection state recovery replays missed msgpack packets (in-memory)", LIMIT, async () => {
  const srv = await startInterop({ parser: msgpackParser, connectionStateRecovery: {} });
  try {
    const reconnect = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0 };
    const { client, socket: first } = await pair(srv, "/", "websocket", { parser: msgpackParser, ...reconnect });
    assert.equal(client.recovered, false);
    const ticks: number[] = [];
    client.on("tick", (n: number) => ticks.push(n));
    srv.io.emit("tick", 1, Buffer.from([1]));
    await until(() => ticks.length === 1, "the first tick");
    // Broadcasts sent while the client is away are replayed on recovery, through the custom encoder.
    first.on("disconnect", () => {
      srv.io.emit("tick", 2, Buffer.from([2]));
      srv.io.emit("tick", 3, Buffer.from([3]));
    });
    const back = nextConnection(srv.io);
    const serverReason = next<[string]>(first, "disconnect");
    client.io.engine.close();
    assert.equal((await serverReason)[0], "transport close");
    const again = await back;
    await waitConnect(client);
    assert.equal(again.recovered, true);
    assert.equal(client.recovered, true);
    assert.equal(again.id, first.id);
    await until(() => ticks.length === 3, "two replayed ticks");
    assert.deepEqual(ticks, [1, 2, 3]);
  } finally {
    await srv.close();
  }
});

test(
  "broadcasts to many websocket clients: one binary frame per packet, no text frame prepared from it",
  LIMIT,
  async () => {
    const srv = await startInterop({ parser: msgpackParser });
    try {
      const clients = await Promise.all(
        Array.from({ length: 5 }, () => srv.connect("/", "websocket", { parser: msgpackParser })),
      );
      const frames: Array<Promise<unknown>> = clients.map(
        (c) =>
          new Promise((resolve) => {
            c.io.engine.on("data", (data: unknown) => {
              if (typeof data !== "string") resolve(data);
            });
          }),
      );
      const got = clients.map((c) => next<[string]>(c, "all"));
      srv.io.emit("all", "hello");
      for (const [i, g] of got.entries()) assert.deepEqual(await g, ["hello"], `client ${i}`);
      for (const f of frames) assert.ok(!(typeof (await f) === "string"), "a binary frame");
    } finally {
      await srv.close();
    }
  },
);

test("allowEIO3: an Engine.IO v3 session speaks msgpack too; its garbage closes only that session", LIMIT, async () => {
  const srv = await startInterop({ parser: msgpackParser, allowEIO3: true });
  try {
    srv.io.on("connection", (socket) => socket.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
    const encode = (packet: unknown): Buffer => (new msgpackParser.Encoder().encode(packet) as unknown as Buffer[])[0]!;
    const decode = (frame: Buffer): Promise<Record<string, unknown>> => {
      const decoder = new msgpackParser.Decoder();
      return new Promise((resolve) => {
        decoder.on("decoded", resolve);
        decoder.add(frame);
      });
    };
    const port = Number(new URL(srv.url).port);
    const peer = await EioPeer.open(port, { eio: 3 });
    // Protocol v4 (2.x): the main namespace is joined implicitly; CONNECT comes through the codec.
    // Engine.IO v3 WebSocket binary frames carry the packet type as a first byte (4 = message).
    const connect = (await peer.next((m) => typeof m !== "string")) as Buffer;
    assert.equal(connect[0], 4);
    assert.deepEqual(await decode(connect.subarray(1)), { type: 0, nsp: "/" });
    peer.send(Buffer.concat([Buffer.from([4]), encode({ type: 2, nsp: "/", id: 3, data: ["echo", "v3"] })]));
    const ack = (await peer.next((m) => typeof m !== "string" && m !== connect)) as Buffer;
    assert.deepEqual(await decode(ack.subarray(1)), { type: 3, nsp: "/", id: 3, data: ["v3"] });

    const healthy = await srv.connect("/", "websocket", { parser: msgpackParser });
    peer.send(Buffer.concat([Buffer.from([4]), encode({ type: 2, nsp: "/", data: ["disconnect"] })]));
    await peer.closedWithin(3000);
    assert.equal(await healthy.timeout(4000).emitWithAck("echo", "ok"), "ok");
  } finally {
    await srv.close();
  }
});
