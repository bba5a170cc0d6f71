/**
 * Streams mode: a node is killed with SIGKILL during a steady broadcast stream; its clients
 * reconnect through a round-robin proxy to another node and recover there (same id, rooms and
 * data), and no broadcast of the stream is missing or duplicated, for the omnio client and the
 * official socket.io-client.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, connect, sleep, type TestClient } from "./support/clients.js";
import { startNodes, stopNodes, waitFor, type ClusterNode } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";
import { RoundRobinProxy } from "./support/rr-proxy.js";

describe("recovery across nodes after kill -9 (streams mode)", { skip: redisProgram.skip ?? false }, () => {
  let redis: RedisProcess;
  let nodes: ClusterNode[];
  let proxy: RoundRobinProxy;
  const clients: TestClient[] = [];

  before(async () => {
    redis = await RedisProcess.start();
    nodes = await startNodes(redis.port, [
      { name: "n1", mode: "streams", recovery: true },
      { name: "n2", mode: "streams", recovery: true },
      { name: "n3", mode: "streams", recovery: true },
    ]);
    proxy = await RoundRobinProxy.start([nodes[0]!.port, nodes[1]!.port]);
  });

  after(async () => {
    for (const cl of clients) cl.close();
    await proxy?.close();
    await stopNodes(nodes ?? []);
    await redis?.stop();
  });

  test("every client of the killed node recovers elsewhere; no tick missing or twice", async () => {
    const opts = { reconnectionDelay: 50, reconnectionDelayMax: 200, randomizationFactor: 0, reconnection: true };
    for (let i = 0; i < 8; i++) {
      // sequential connections: the proxy alternates n1, n2
      clients.push(
        await connect(i % 4 < 2 ? "omnio" : "socket.io-client", proxy.url, { ...opts, auth: { user: `u${i}` } }),
      );
    }
    for (const cl of clients) await call(cl, "join", "feed");
    const before = await Promise.all(clients.map((cl) => call(cl, "whoami") as Promise<{ node: string; id: string }>));
    const onN1 = clients.filter((_, i) => before[i]!.node === "n1");
    assert.equal(onN1.length, 4);
    const reconnected = onN1.map((cl) => new Promise<void>((r) => cl.socket.io.once("reconnect", () => r())));

    await nodes[2]!.call("startTicker", { to: ["feed"], every: 5 });
    await sleep(400);
    await nodes[0]!.kill("SIGKILL");
    await Promise.all(reconnected);
    await sleep(400);
    const total = await nodes[2]!.call<number>("stopTicker");
    assert.ok(total > 50, `only ${total} ticks`);

    await waitFor(() => clients.every((cl) => cl.got("tick").length >= total), 10_000, "all ticks").catch(() => {});
    await sleep(100); // a duplicate would arrive now
    console.log(
      clients
        .map(
          (cl, i) =>
            `${i} ${cl.kind} ${before[i]!.node} n=${cl.got("tick").length} first=${JSON.stringify(cl.got("tick")[0])}`,
        )
        .join("\n"),
    );
    for (const [i, cl] of clients.entries()) {
      const ticks = cl.got("tick").map((args) => args[0]) as number[];
      const missing = [...Array(total).keys()].filter((n) => !ticks.includes(n));
      const twice = ticks.filter((n, k) => ticks.indexOf(n) !== k);
      assert.deepEqual(
        { missing, twice },
        { missing: [], twice: [] },
        `${cl.kind} client ${i} (was on ${before[i]!.node})`,
      );
      assert.deepEqual(ticks, [...Array(total).keys()], `${cl.kind} client ${i} (was on ${before[i]!.node})`);
    }
    const after = await Promise.all(
      clients.map((cl) => call(cl, "whoami") as Promise<{ node: string; id: string; recovered: boolean }>),
    );
    for (const [i, cl] of clients.entries()) {
      assert.equal(after[i]!.node, "n2", `client ${i} ends on n2`);
      assert.equal(after[i]!.id, before[i]!.id, `client ${i} keeps its id`);
      if (before[i]!.node === "n1") {
        assert.equal(after[i]!.recovered, true, `client ${i} recovered`);
        assert.equal(cl.socket.recovered, true, `${cl.kind} client ${i} sees recovered`);
      }
    }
    // data and rooms survived the move
    const sockets = await nodes[2]!.call<{ id: string; rooms: string[]; data: { node: string; user: string } }[]>(
      "fetchSockets",
      { to: ["feed"] },
    );
    assert.equal(sockets.length, 8);
    for (const [i] of clients.entries()) {
      const s = sockets.find((x) => x.id === before[i]!.id)!;
      assert.equal(s.data.user, `u${i}`);
      assert.equal(s.data.node, before[i]!.node);
      assert.ok(s.rooms.includes("feed"));
    }
  });
});
