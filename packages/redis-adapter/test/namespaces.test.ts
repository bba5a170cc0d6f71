/**
 * Many namespaces on one pair of Redis connections: each namespace has its own channels, a
 * broadcast stays in its namespace, and the shared clients get one listener pair in all (no
 * MaxListenersExceededWarning with 15 namespaces). Two servers in this process, one Redis.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { Server } from "@omnio/server";
import { createAdapter } from "@omnio/redis-adapter";
import { Redis } from "ioredis";
import { connect, type TestClient } from "./support/clients.js";
import { waitFor } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";

const skip = redisProgram.skip ?? false;
let redis: RedisProcess;
const servers: Server[] = [];
const redisClients: Redis[] = [];
const clients: TestClient[] = [];
const warnings: string[] = [];
const onWarning = (w: Error): void => {
  warnings.push(`${w.name}: ${w.message}`);
};

async function startServer(): Promise<string> {
  const pub = new Redis(redis.port, "127.0.0.1");
  const sub = pub.duplicate();
  redisClients.push(pub, sub);
  const http = createServer();
  const io = new Server(http, { adapter: createAdapter(pub, sub) });
  servers.push(io);
  for (let i = 0; i < 15; i++) io.of(`/ns-${i}`);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

before(async () => {
  if (skip) return;
  process.on("warning", onWarning);
  redis = await RedisProcess.start();
});

after(async () => {
  process.off("warning", onWarning);
  for (const c of clients) c.close();
  await Promise.all(servers.map((io) => io.close()));
  for (const c of redisClients) c.disconnect();
  await redis?.stop();
});

test("15 namespaces across two servers: isolated broadcasts, one listener pair per client", { skip }, async () => {
  const [urlA, urlB] = [await startServer(), await startServer()];
  const admin = redis.client();
  await waitFor(async () => Number((await admin.pubsub("NUMSUB", "socket.io-request#/ns-7#"))[1]) === 2);
  const inB7 = await connect("omnio", `${urlB}/ns-7`);
  const inB8 = await connect("socket.io-client", `${urlB}/ns-8`);
  const inA7 = await connect("socket.io-client", `${urlA}/ns-7`);
  clients.push(inB7, inB8, inA7);
  servers[0]!.of("/ns-7").emit("hello", 7);
  assert.deepEqual((await inB7.waitFor("hello"))[0], [7]);
  assert.deepEqual((await inA7.waitFor("hello"))[0], [7]);
  servers[1]!.of("/ns-8").emit("marker");
  await inB8.waitFor("marker");
  assert.equal(inB8.got("hello").length, 0);
  for (const c of redisClients) {
    assert.equal(c.listenerCount("error"), 1);
    assert.equal(c.listenerCount("ready"), 1);
  }
  assert.deepEqual(
    warnings.filter((w) => w.includes("MaxListeners")),
    [],
  );
});
