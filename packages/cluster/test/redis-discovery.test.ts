/**
 * Peer discovery through a real redis-server: nodes started without a peer list find each
 * other, forward to each other, and forget a node that stopped or stopped refreshing.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { Server } from "@omnio/server";
import { discoverPeersThroughRedis, enableForwarding, type Forwarding, type RedisDiscovery } from "@omnio/cluster";
import { freePort, requireProgram, spawnRedisServer } from "@omnio/testkit";
import { Redis } from "ioredis";

const redisServer = requireProgram({
  name: "redis-server",
  install: "apt-get install -y redis-server",
  what: "The cluster discovery tests",
});
const skip = redisServer.skip ?? false;
const SECRET = "a-test-secret-of-enough-length";
const KEY = "omnio:test-nodes";

let redisChild: ChildProcess | undefined;
let redis: Redis;
const nodes: Array<{ http: HttpServer; io: Server; forwarding: Forwarding; discovery: RedisDiscovery; base: string }> =
  [];

async function startNode(id: string, key: string, ttl: number): Promise<(typeof nodes)[number]> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.on("connection", (socket) => socket.on("echo", (x: unknown, ack: (r: unknown) => void) => ack([x, id])));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const forwarding = enableForwarding(io, { nodeId: id, secret: SECRET });
  const discovery = await discoverPeersThroughRedis(forwarding, redis, { address: base, key, ttl });
  return { http, io, forwarding, discovery, base };
}

before(async () => {
  if (skip) return;
  const port = await freePort();
  redisChild = await spawnRedisServer(redisServer.path!, port);
  redis = new Redis(port, "127.0.0.1");
  for (const id of ["a", "b"]) nodes.push(await startNode(id, KEY, 600));
  await nodes[0]!.discovery.refresh(); // a registered before b: it learns b now
});

after(async () => {
  for (const n of nodes) {
    await n.discovery.stop();
    await n.io.close();
  }
  redis?.disconnect();
  redisChild?.kill("SIGKILL");
});

test("nodes started without a peer list find each other and forward", { skip }, async () => {
  const [a, b] = [nodes[0]!, nodes[1]!];
  assert.deepEqual([...a.forwarding.peers()], [["b", b.base]]);
  assert.deepEqual([...b.forwarding.peers()], [["a", a.base]]);
  const handshake = await (await fetch(`${a.base}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
  const url = `${b.base}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  assert.equal(await (await fetch(url, { method: "POST", body: "40" })).text(), "ok");
  assert.match(await (await fetch(url)).text(), /^40/);
  assert.equal(b.forwarding.stats.forwardedRequests, 2);
});

test("an entry that stops being refreshed expires; malformed entries are skipped", { skip }, async () => {
  const b = nodes[1]!;
  const [sec, usec] = await redis.time();
  const now = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  await redis.zadd(KEY, now + 500, "ghost|http://127.0.0.1:1");
  await redis.zadd(KEY, now + 60000, "bad.id|http://127.0.0.1:2");
  await redis.zadd(KEY, now + 60000, "tls|https://127.0.0.1:3");
  await b.discovery.refresh();
  assert.deepEqual([...b.forwarding.peers().keys()].sort(), ["a", "ghost"]);
  await new Promise((r) => setTimeout(r, 1500));
  await b.discovery.refresh();
  assert.deepEqual([...b.forwarding.peers().keys()], ["a"]);
});

test("a node that stops is removed from the others' tables", { skip }, async () => {
  const [a, b] = [nodes[0]!, nodes[1]!];
  await a.discovery.stop();
  await b.discovery.refresh();
  assert.deepEqual([...b.forwarding.peers()], []);
  a.discovery = await discoverPeersThroughRedis(a.forwarding, redis, { address: a.base, key: KEY, ttl: 600 });
  await b.discovery.refresh();
  assert.deepEqual([...b.forwarding.peers().keys()], ["a"]);
});

test("Redis failures are reported and the last known peers stay in use", { skip }, async () => {
  const errors: Error[] = [];
  const broken = {
    time: () => Promise.reject(new Error("connection lost")),
    zadd: () => Promise.resolve(0),
    zremrangebyscore: () => Promise.resolve(0),
    zrangebyscore: () => Promise.resolve([]),
    zrem: () => Promise.resolve(0),
  };
  const b = nodes[1]!;
  const before = [...b.forwarding.peers()];
  const d = await discoverPeersThroughRedis(b.forwarding, broken, {
    address: b.base,
    onError: (e) => errors.push(e),
  });
  assert.equal(errors[0]?.message, "connection lost");
  assert.deepEqual([...b.forwarding.peers()], before);
  await d.stop();
});

test("a session of a node that joined since the last refresh is looked up on demand", { skip }, async () => {
  // Long ttl: no periodic refresh happens during the test.
  const early = await startNode("early", "omnio:test-join", 60000);
  const late = await startNode("late", "omnio:test-join", 60000);
  nodes.push(early, late);
  assert.deepEqual([...early.forwarding.peers()], []);
  const handshake = await (await fetch(`${late.base}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
  const res = await fetch(`${early.base}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
    method: "POST",
    body: "40",
  });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "ok");
  assert.deepEqual([...early.forwarding.peers()], [["late", late.base]]);
  assert.equal(early.forwarding.stats.forwardedRequests, 1);
  // An id naming no node at all: one lookup, then socket.io's answer.
  const none = await fetch(`${early.base}/socket.io/?EIO=4&transport=polling&sid=ghost2.AAAA`);
  assert.equal(none.status, 400);
  assert.deepEqual(await none.json(), { code: 1, message: "Session ID unknown" });
});
