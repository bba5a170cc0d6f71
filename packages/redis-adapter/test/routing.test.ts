/**
 * Interest-based routing: a node subscribes to the channels of the rooms it hosts (first local
 * member → SUBSCRIBE, last one gone → UNSUBSCRIBE) and so receives none of the traffic of rooms
 * it has no member in; with routing off, every node receives everything (as with the official
 * adapter).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, connect, sleep, type TestClient } from "./support/clients.js";
import { startNodes, stopNodes, waitFor, type ClusterNode } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";
import type { Redis } from "ioredis";
import msgpack from "notepack.io";

type Inbound = { messages: number; bytes: number };

describe("interest-based routing", { skip: redisProgram.skip ?? false }, () => {
  let redis: RedisProcess;
  let admin: Redis;
  let nodes: ClusterNode[]; // n1, n2 routing on; n3 routing off
  let c1: TestClient;
  let c2: TestClient;

  const numsub = async (channel: string): Promise<number> => Number((await admin.pubsub("NUMSUB", channel))[1]);

  before(async () => {
    redis = await RedisProcess.start();
    admin = redis.client();
    nodes = await startNodes(redis.port, [{ name: "n1" }, { name: "n2" }, { name: "n3", routing: false }]);
    [c1, c2] = await Promise.all([connect("omnio", nodes[0]!.url), connect("socket.io-client", nodes[1]!.url)]);
  });

  after(async () => {
    for (const x of [c1, c2]) x?.close();
    await stopNodes(nodes ?? []);
    await redis?.stop();
  });

  test("room channels are subscribed by the nodes hosting the room only, and dropped when it empties", async () => {
    await call(c1, "join", "r1");
    await call(c2, "join", "r2");
    await waitFor(async () => (await numsub("socket.io#/#r1#")) === 1 && (await numsub("socket.io#/#r2#")) === 1);
    assert.equal(await numsub("socket.io#/#"), 2); // the namespace channel: n1, n2 (n3 has a pattern)
    assert.equal(await numsub(`socket.io#/#${c1.socket.id}#`), 1); // private rooms are rooms too
    assert.equal(Number(await admin.pubsub("NUMPAT")), 1); // n3, routing off
    await call(c1, "leave", "r1");
    await waitFor(async () => (await numsub("socket.io#/#r1#")) === 0, 10_000, "unsubscribe of r1");
    c1.close();
    await waitFor(
      async () => (await numsub(`socket.io#/#${c1.socket.id}#`)) === 0,
      10_000,
      "unsubscribe of a gone socket",
    );
  });

  test("a node without members of a room receives none of its traffic (unless routing is off)", async () => {
    const before = await Promise.all(nodes.map((n) => n.call<Inbound>("inbound")));
    for (let i = 0; i < 200; i++)
      await nodes[0]!.call("emit", { ev: "r2-msg", args: [i, "x".repeat(100)], to: ["r2"] });
    await c2.waitFor("r2-msg", 200);
    await sleep(100);
    const after = await Promise.all(nodes.map((n) => n.call<Inbound>("inbound")));
    const delta = after.map((a, i) => a.messages - before[i]!.messages);
    assert.ok(delta[0]! < 5, `n1 (sender, no member) got ${delta[0]} messages`);
    assert.ok(delta[1]! >= 200, `n2 (member) got ${delta[1]} messages`);
    assert.ok(delta[2]! >= 200, `n3 (routing off) got ${delta[2]} messages`);
  });

  test("malformed messages on the adapter's channels are ignored (no crash)", async () => {
    for (const channel of ["socket.io#/#", "socket.io#/#r2#", "socket.io-request#/#", "socket.io-response#/#"]) {
      for (const junk of [
        Buffer.from([0xc1, 0x00]),
        "{not json",
        '{"type":5,"requestId":"x","opts":7}',
        '{"type":6,"data":5}',
        '{"type":7,"requestId":"y","packet":{"type":99},"opts":{}}',
        '{"type":2,"opts":{"rooms":"r2"},"rooms":"x"}',
        msgpack.encode(["other", { type: 99, nsp: "/", data: {} }, { rooms: [] }]) as Buffer,
        msgpack.encode(["other", { type: 2, nsp: "/", data: [] }, { rooms: 5, except: "x" }]) as Buffer,
      ]) {
        await admin.publish(channel, junk);
      }
    }
    await nodes[2]!.call("emit", { ev: "after-junk", args: [1], to: ["r2"] });
    assert.deepEqual((await c2.waitFor("after-junk"))[0], [1]);
    for (const n of nodes) assert.equal(await n.call("serverCount"), 3);
  });
});
