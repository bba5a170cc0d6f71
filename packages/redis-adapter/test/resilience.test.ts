/**
 * Redis killed (SIGKILL) and restarted on the same port under load: local delivery never stops,
 * the adapter reports the outage once as an `error` event (no crash), then reconnects and
 * resubscribes (namespace, request and room channels): cross-node broadcasts, room broadcasts
 * and requests work again.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, connect, sleep, type TestClient } from "./support/clients.js";
import { ADAPTER_VARIANTS, startNodes, stopNodes, waitFor, type ClusterNode } from "./support/cluster.js";
import { RedisProcess, redisProgram } from "./support/redis.js";

for (const { label, mode, routing } of ADAPTER_VARIANTS) {
  describe(`Redis restart under load (${label})`, { skip: redisProgram.skip ?? false }, () => {
    let redis: RedisProcess;
    let nodes: ClusterNode[];
    let local: TestClient; // on n1, the broadcasting node
    let remote: TestClient; // on n2

    before(async () => {
      redis = await RedisProcess.start();
      nodes = await startNodes(redis.port, [
        { name: "n1", routing, mode },
        { name: "n2", routing, mode },
      ]);
      [local, remote] = await Promise.all([
        connect("omnio", nodes[0]!.url),
        connect("socket.io-client", nodes[1]!.url),
      ]);
      await call(remote, "join", "room-r");
      await waitFor(async () => (await nodes[0]!.call<number>("serverCount")) === 2, 10_000, "2 nodes");
    });

    after(async () => {
      for (const x of [local, remote]) x?.close();
      await stopNodes(nodes ?? []);
      await redis?.stop();
    });

    test("local delivery goes on during the outage; cross-node delivery and requests come back", async () => {
      await nodes[0]!.call("startTicker", { every: 10 });
      await remote.waitFor("tick", 5);
      await redis.kill();
      const atKill = local.got("tick").length;
      // local delivery never stops while Redis is down (which it stays until redis.start())
      await waitFor(() => local.got("tick").length >= atKill + 30, 10_000, "local ticks during the outage");
      await redis.start();
      const remoteAtRestart = remote.got("tick").length;
      await waitFor(
        () => remote.got("tick").length > remoteAtRestart + 10,
        10_000,
        "cross-node ticks after the restart",
      );
      await nodes[0]!.call("stopTicker");

      // room channel subscriptions came back too
      await waitFor(
        async () => {
          await nodes[0]!.call("emit", { ev: "room-msg", args: [], to: ["room-r"] });
          await sleep(50);
          return remote.got("room-msg").length > 0;
        },
        10_000,
        "room broadcast after the restart",
      );
      // requests again reach the other node (once its subscriber connection resubscribed)
      await waitFor(
        async () => (await nodes[0]!.call<unknown[]>("fetchSockets")).length === 2,
        10_000,
        "fetchSockets of both",
      );
      // reported as error events (once per outage, again only after the clients were ready
      // again: not once per reconnection attempt), never thrown; both nodes alive
      for (const n of nodes) {
        const errors = await n.call<string[]>("redisErrors");
        assert.ok(
          errors.length >= 1 && errors.length <= 3,
          `${n.name}: ${errors.length} errors: ${errors.join(" | ")}`,
        );
        assert.match(errors[0]!, /^REDIS_ERROR: /);
      }
    });
  });
}
