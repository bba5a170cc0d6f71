/**
 * The official ecosystem in an omnio cluster: an external process using the official
 * `@socket.io/redis-emitter` emits to rooms of omnio nodes, and an official socket.io node with
 * `@socket.io/redis-adapter` shares the cluster with an omnio node (broadcasts, rooms, acks,
 * fetchSockets, serverSideEmit, in both directions).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { call, connect, type TestClient } from "./support/clients.js";
import { startNodes, stopNodes, waitFor, type ClusterNode } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";

const emitterScript = fileURLToPath(new URL("./support/emitter-process.js", import.meta.url));

describe("official emitter and socket.io node in an omnio cluster", { skip: redisProgram.skip ?? false }, () => {
  let redis: RedisProcess;
  let nodes: ClusterNode[]; // [omnio (routing), omnio (routing off), official socket.io]
  let a: TestClient; // official client → omnio n1
  let b: TestClient; // omnio client → omnio n2
  let c: TestClient; // omnio client → official node
  let d: TestClient; // official client → official node

  const runEmitter = (ops: unknown[]): Promise<unknown> =>
    promisify(execFile)(process.execPath, [emitterScript, String(redis.port), JSON.stringify(ops)], {
      timeout: 10_000,
    });

  before(async () => {
    redis = await RedisProcess.start();
    nodes = await startNodes(redis.port, [
      { name: "n1" },
      { name: "n2", routing: false },
      { name: "sio", kind: "socket.io" },
    ]);
    [a, b, c, d] = await Promise.all([
      connect("socket.io-client", nodes[0]!.url, { auth: { user: "a" } }),
      connect("omnio", nodes[1]!.url, { auth: { user: "b" } }),
      connect("omnio", nodes[2]!.url, { auth: { user: "c" } }),
      connect("socket.io-client", nodes[2]!.url, { auth: { user: "d" } }),
    ]);
    await call(a, "join", "news");
    await call(c, "join", "news");
    await waitFor(async () => (await nodes[0]!.call<number>("serverCount")) === 3, 10_000, "3 nodes");
    const admin = redis.client();
    await waitFor(
      async () => Number((await admin.pubsub("NUMSUB", "socket.io#/#news#"))[1]) === 1,
      10_000,
      "n1's subscription of news",
    );
  });

  after(async () => {
    for (const x of [a, b, c, d]) x?.close();
    await stopNodes(nodes ?? []);
    await redis?.stop();
  });

  test("the official emitter reaches rooms and everyone, binary included", async () => {
    await runEmitter([
      { kind: "emit", to: "news", ev: "headline", args: ["omnio", { n: 1 }] },
      { kind: "emit", ev: "everyone", args: [42] },
      { kind: "emit", to: "news", except: "nobody", ev: "news-except", args: [] },
      { kind: "emitBinary", ev: "blob", bytes: [7, 8, 9] },
    ]);
    for (const cl of [a, c]) assert.deepEqual((await cl.waitFor("headline"))[0], ["omnio", { n: 1 }]);
    for (const cl of [a, b, c, d]) assert.deepEqual((await cl.waitFor("everyone"))[0], [42]);
    await a.waitFor("news-except");
    for (const cl of [a, b, c, d]) {
      const [[buf]] = (await cl.waitFor("blob")) as [[ArrayBuffer | Uint8Array]];
      const view = ArrayBuffer.isView(buf) ? buf : new Uint8Array(buf);
      assert.deepEqual([...view], [7, 8, 9]);
    }
    assert.equal(b.got("headline").length + d.got("headline").length, 0);
  });

  test("the official emitter's socketsJoin / serverSideEmit / disconnectSockets reach omnio nodes", async () => {
    await runEmitter([{ kind: "socketsJoin", to: "news", room: "vip" }]);
    const expected = JSON.stringify([a.socket.id, c.socket.id].sort());
    await waitFor(
      async () => {
        const vip = await nodes[1]!.call<{ id: string }[]>("fetchSockets", { to: ["vip"] });
        return JSON.stringify(vip.map((s) => s.id).sort()) === expected;
      },
      10_000,
      "a and c in vip",
    );
    await runEmitter([{ kind: "serverSideEmit", ev: "hello-nodes", args: ["emitter"] }]);
    await waitFor(async () => (await nodes[0]!.call<string[]>("received")).includes("hello-nodes from emitter"));
    // the emitter is not a node
    assert.equal(await nodes[0]!.call("serverCount"), 3);
  });

  test("broadcasts and rooms between an omnio node and an official socket.io node", async () => {
    await nodes[0]!.call("emit", { ev: "from-omnio", args: ["x"], to: ["news"] });
    await c.waitFor("from-omnio");
    await a.waitFor("from-omnio");
    await nodes[2]!.call("emit", { ev: "from-sio", args: [{ y: 1 }] });
    for (const cl of [a, b, c, d]) assert.deepEqual((await cl.waitFor("from-sio"))[0], [{ y: 1 }]);
    await nodes[2]!.call("emit", { ev: "sio-news", args: [], to: ["news"], except: [a.socket.id] });
    await c.waitFor("sio-news");
    await nodes[0]!.call("emit", { ev: "marker", args: [] });
    await Promise.all([a, b, c, d].map((cl) => cl.waitFor("marker")));
    assert.equal(a.got("sio-news").length + b.got("sio-news").length + d.got("sio-news").length, 0);
    assert.equal(b.got("from-omnio").length + d.got("from-omnio").length, 0);
  });

  test("fetchSockets and serverSideEmit acks in both directions", async () => {
    const fromOmnio = await nodes[0]!.call<{ id: string; data: { user: string } }[]>("fetchSockets");
    assert.deepEqual(fromOmnio.map((s) => s.data.user).sort(), ["a", "b", "c", "d"]);
    const fromSio = await nodes[2]!.call<{ id: string; data: { user: string } }[]>("fetchSockets");
    assert.deepEqual(fromSio.map((s) => s.data.user).sort(), ["a", "b", "c", "d"]);
    const r1 = await nodes[0]!.call<{ responses: string[] }>("serverSideEmitWithAck", { ev: "whois", args: [] });
    assert.deepEqual(r1.responses.sort(), ["n2", "sio"]);
    const r2 = await nodes[2]!.call<{ responses: string[] }>("serverSideEmitWithAck", { ev: "whois", args: [] });
    assert.deepEqual(r2.responses.sort(), ["n1", "n2"]);
  });

  test("broadcast acks across omnio and official nodes", async () => {
    for (const cl of [a, b, c, d]) cl.socket.on("ask", (cb: (v: unknown) => void) => cb(cl.socket.id));
    const ids = [a, b, c, d].map((cl) => cl.socket.id as string).sort();
    const fromOmnio = await nodes[0]!.call<string[]>("emitWithAck", { ev: "ask", args: [], timeout: 6000 });
    assert.deepEqual([...fromOmnio].sort(), ids);
    const fromSio = await nodes[2]!.call<string[]>("emitWithAck", { ev: "ask", args: [], timeout: 6000 });
    assert.deepEqual([...fromSio].sort(), ids);
  });
});
