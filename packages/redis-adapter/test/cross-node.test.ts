/**
 * Three omnio nodes (separate processes) on one Redis: the official socket.io-client and the
 * omnio client, connected to different nodes, see each other's broadcasts, room changes made
 * from any node, broadcast acks and fetchSockets results from every node.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import { call, connect, type TestClient } from "./support/clients.js";
import { ADAPTER_VARIANTS, startNodes, stopNodes, waitFor, type ClusterNode } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";

for (const { label, mode, routing } of ADAPTER_VARIANTS) {
  describe(`cluster of 3 omnio nodes (${label})`, { skip: redisProgram.skip ?? false }, () => {
    let redis: RedisProcess;
    let nodes: ClusterNode[];
    let a: TestClient; // official client on node 1
    let b: TestClient; // omnio client on node 2
    let c: TestClient; // official client on node 3
    let d: TestClient; // omnio client on node 3
    let admin: Redis;

    /** With routing, waits until `count` nodes subscribed to the room's channel. */
    const subscribed = (room: string, count: number): Promise<void> =>
      waitFor(
        async () => !routing || Number((await admin.pubsub("NUMSUB", `socket.io#/#${room}#`))[1]) >= count,
        10_000,
        `${count} subscriptions of ${room}`,
      );
    /** Waits until the cluster-wide members of `room` are exactly `ids`. */
    const members = (room: string, ids: string[]): Promise<void> =>
      waitFor(
        async () => {
          const found = await nodes[0]!.call<{ id: string }[]>("fetchSockets", { to: [room] });
          return JSON.stringify(found.map((s) => s.id).sort()) === JSON.stringify([...ids].sort());
        },
        10_000,
        `members of ${room}`,
      );

    before(async () => {
      redis = await RedisProcess.start();
      admin = redis.client();
      nodes = await startNodes(redis.port, [
        { name: "n1", routing, mode },
        { name: "n2", routing, mode },
        { name: "n3", routing, mode },
      ]);
      [a, b, c, d] = await Promise.all([
        connect("socket.io-client", nodes[0]!.url, { auth: { user: "a" } }),
        connect("omnio", nodes[1]!.url, { auth: { user: "b" } }),
        connect("socket.io-client", nodes[2]!.url, { auth: { user: "c" } }),
        connect("omnio", nodes[2]!.url, { auth: { user: "d" } }),
      ]);
      await waitFor(async () => (await nodes[0]!.call<number>("serverCount")) === 3, 10_000, "3 nodes");
    });

    after(async () => {
      for (const x of [a, b, c, d]) x?.close();
      await stopNodes(nodes ?? []);
      await redis?.stop();
    });

    test("serverCount counts every node", async () => {
      for (const n of nodes) assert.equal(await n.call("serverCount"), 3);
    });

    test("a broadcast from any node reaches every client", async () => {
      await nodes[1]!.call("emit", { ev: "all", args: [1, "x", { y: true }] });
      for (const cl of [a, b, c, d]) assert.deepEqual((await cl.waitFor("all"))[0], [1, "x", { y: true }]);
    });

    test("binary payloads cross nodes", async () => {
      await nodes[0]!.call("emitBinary", { ev: "bin", bytes: [1, 2, 3] });
      for (const cl of [a, b, c, d]) {
        const [[buf, obj]] = (await cl.waitFor("bin")) as [[ArrayBufferLike | Uint8Array, { nested: Uint8Array }]];
        assert.deepEqual([...bytes(buf)], [1, 2, 3], cl.kind);
        assert.deepEqual([...bytes(obj.nested)], [1, 2, 3], cl.kind);
      }
    });

    test("rooms, except and local flag across nodes", async () => {
      await call(a, "join", "red");
      await call(b, "join", "red");
      await call(d, "join", "blue");
      await subscribed("red", 2);
      await subscribed("blue", 1);
      await nodes[2]!.call("emit", { ev: "to-red", args: ["r"], to: ["red"] });
      await a.waitFor("to-red");
      await b.waitFor("to-red");
      await nodes[0]!.call("emit", { ev: "red-or-blue-not-red", args: [], to: ["red", "blue"], except: ["red"] });
      await d.waitFor("red-or-blue-not-red");
      await nodes[1]!.call("emit", { ev: "local-only", args: [], flags: ["local"] });
      await b.waitFor("local-only");
      await nodes[1]!.call("emit", { ev: "marker", args: [] });
      await Promise.all([a, b, c, d].map((cl) => cl.waitFor("marker")));
      assert.equal(c.got("to-red").length + d.got("to-red").length, 0);
      assert.equal(a.got("red-or-blue-not-red").length + b.got("red-or-blue-not-red").length, 0);
      assert.equal(c.got("red-or-blue-not-red").length, 0);
      assert.equal(a.got("local-only").length + c.got("local-only").length + d.got("local-only").length, 0);
    });

    test("socketsJoin / socketsLeave / RemoteSocket ops made from another node", async () => {
      await nodes[0]!.call("socketsJoin", { room: "green" }); // every socket of the cluster
      await members(
        "green",
        [a, b, c, d].map((cl) => cl.socket.id as string),
      );
      await subscribed("green", 3);
      await nodes[1]!.call("emit", { ev: "green", args: [], to: ["green"] });
      await Promise.all([a, b, c, d].map((cl) => cl.waitFor("green")));
      await nodes[2]!.call("socketsLeave", { to: ["red"], room: "green" });
      await members("green", [c.socket.id, d.socket.id]);
      await nodes[2]!.call("emit", { ev: "green2", args: [], to: ["green"] });
      await c.waitFor("green2");
      await d.waitFor("green2");
      await nodes[2]!.call("emit", { ev: "marker2", args: [] });
      await Promise.all([a, b, c, d].map((cl) => cl.waitFor("marker2")));
      assert.equal(a.got("green2").length + b.got("green2").length, 0);
      // RemoteSocket.emit / join from node 1 to a socket on node 3
      const n = await nodes[0]!.call("remoteOp", { to: [d.socket.id], op: "emit", ev: "direct", args: ["hi"] });
      assert.equal(n, 1);
      assert.deepEqual((await d.waitFor("direct"))[0], ["hi"]);
      await nodes[0]!.call("remoteOp", { to: [c.socket.id, d.socket.id], op: "join", room: "yellow" });
      await members("yellow", [c.socket.id, d.socket.id]); // fails after 10 s if the join never lands
      await nodes[1]!.call("remoteOp", { to: [d.socket.id], op: "leave", room: "yellow" });
      await members("yellow", [c.socket.id]);
    });

    test("fetchSockets returns the sockets of every node with id, rooms, data and handshake", async () => {
      const all =
        await nodes[1]!.call<{ id: string; rooms: string[]; data: { node: string; user: string }; auth: unknown }[]>(
          "fetchSockets",
        );
      const byUser = new Map(all.map((s) => [s.data.user, s]));
      assert.deepEqual([...byUser.keys()].sort(), ["a", "b", "c", "d"]);
      assert.equal(byUser.get("a")!.id, a.socket.id);
      assert.equal(byUser.get("a")!.data.node, "n1");
      assert.equal(byUser.get("d")!.data.node, "n3");
      assert.deepEqual(byUser.get("c")!.auth, { user: "c" });
      assert.ok(byUser.get("d")!.rooms.includes("blue"));
      const red = await nodes[2]!.call<{ id: string }[]>("fetchSockets", { to: ["red"] });
      assert.deepEqual(red.map((s) => s.id).sort(), [a.socket.id, b.socket.id].sort());
    });

    test("broadcast acks are collected from every node", async () => {
      for (const cl of [a, b, c, d]) {
        cl.socket.on("ask", (n: number, cb: (v: unknown) => void) => cb({ n, me: cl.socket.id }));
      }
      const responses = await nodes[0]!.call<{ n: number; me: string }[]>("emitWithAck", {
        ev: "ask",
        args: [7],
        timeout: 6000,
      });
      assert.deepEqual(responses.map((r) => r.me).sort(), [a, b, c, d].map((cl) => cl.socket.id).sort());
      const red = await nodes[2]!.call<unknown[]>("emitWithAck", { ev: "ask", args: [8], to: ["red"], timeout: 6000 });
      assert.equal(red.length, 2);
    });

    test("serverSideEmit reaches the other nodes, with their acks", async () => {
      const res = await nodes[0]!.call<{ responses: string[] }>("serverSideEmitWithAck", { ev: "whois", args: [] });
      assert.deepEqual(res.responses.sort(), ["n2", "n3"]);
      await nodes[1]!.call("serverSideEmit", { ev: "hello-nodes", args: ["n2"] });
      await waitFor(async () => (await nodes[2]!.call<string[]>("received")).includes("hello-nodes from n2"));
    });

    test("disconnectSockets and RemoteSocket.disconnect from another node", async () => {
      const gone = new Promise((r) => c.socket.once("disconnect", r));
      await nodes[0]!.call("disconnectSockets", { to: [c.socket.id], close: true });
      assert.equal(await gone, "io server disconnect");
      const gone2 = new Promise((r) => b.socket.once("disconnect", r));
      assert.equal(await nodes[2]!.call("remoteOp", { to: [b.socket.id], op: "disconnect" }), 1);
      assert.equal(await gone2, "io server disconnect");
    });
  });
}

function bytes(x: ArrayBufferLike | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(x) ? new Uint8Array(x.buffer, x.byteOffset, x.byteLength) : new Uint8Array(x);
}
