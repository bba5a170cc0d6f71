/**
 * A node that does not answer in time (frozen with SIGSTOP): cluster requests fail with a typed
 * error (code CLUSTER_REQUEST_TIMEOUT) carrying what the other nodes answered, broadcast acks
 * end with the responses collected so far, and everything works again once the node resumes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, type TestClient } from "./support/clients.js";
import { startNodes, stopNodes, waitFor, type ClusterNode } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";

describe("partial results when a node does not answer", { skip: redisProgram.skip ?? false }, () => {
  let redis: RedisProcess;
  let nodes: ClusterNode[];
  let clients: TestClient[];

  before(async () => {
    redis = await RedisProcess.start();
    nodes = await startNodes(redis.port, [
      { name: "n1", requestsTimeout: 1500, pingInterval: 20_000 },
      { name: "n2", requestsTimeout: 1500, pingInterval: 20_000 },
      { name: "n3", requestsTimeout: 1500, pingInterval: 20_000 },
    ]);
    clients = await Promise.all(nodes.map((n, i) => connect(i % 2 ? "omnio" : "socket.io-client", n.url)));
    for (const cl of clients) cl.socket.on("ask", (cb: (v: unknown) => void) => cb(cl.socket.id));
    await waitFor(async () => (await nodes[0]!.call<number>("serverCount")) === 3, 10_000, "3 nodes");
  });

  after(async () => {
    nodes?.[2]?.child.kill("SIGCONT");
    for (const cl of clients ?? []) cl.close();
    await stopNodes(nodes ?? []);
    await redis?.stop();
  });

  test("a frozen node: typed timeout errors with the partial results, then recovery", async () => {
    const [c1, c2, c3] = clients as [TestClient, TestClient, TestClient];
    nodes[2]!.child.kill("SIGSTOP");
    try {
      const fetched = await nodes[0]!.call<{ code: string; partial: string[]; expected: number; received: number }>(
        "fetchSocketsError",
        { timeout: 1500 },
      );
      assert.equal(fetched.code, "CLUSTER_REQUEST_TIMEOUT");
      assert.deepEqual([...fetched.partial].sort(), [c1.socket.id, c2.socket.id].sort());
      assert.equal(fetched.expected, 2);
      assert.equal(fetched.received, 1);

      const emitted = await nodes[1]!.call<{ code: string; partial: string[]; message: string }>(
        "serverSideEmitWithAck",
        {
          ev: "whois",
          args: [],
        },
      );
      assert.equal(emitted.code, "CLUSTER_REQUEST_TIMEOUT");
      assert.deepEqual(emitted.partial, ["n1"]);
      assert.match(emitted.message, /1 of 2 other nodes answered/);

      const acks = await nodes[0]!.call<{ error: string | null; responses: string[] }>("emitAckPartial", {
        ev: "ask",
        args: [],
        timeout: 1500,
      });
      assert.equal(acks.error, "operation has timed out");
      assert.deepEqual([...acks.responses].sort(), [c1.socket.id, c2.socket.id].sort());
    } finally {
      nodes[2]!.child.kill("SIGCONT");
    }
    // the frozen node's client is still there (the heartbeat interval is longer than the freeze) and answers again
    const all = await nodes[0]!.call<{ id: string }[]>("fetchSockets");
    assert.equal(all.length, 3);
    const acks = await nodes[0]!.call<{ error: string | null; responses: string[] }>("emitAckPartial", {
      ev: "ask",
      args: [],
      timeout: 6000,
    });
    assert.equal(acks.error, null);
    assert.deepEqual([...acks.responses].sort(), [c1, c2, c3].map((c) => c.socket.id as string).sort());
  });
});
