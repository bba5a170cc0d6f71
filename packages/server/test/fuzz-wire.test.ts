/**
 * A bounded wire-fuzz run (`support/wire-fuzz.ts`): a few thousand hostile inputs over
 * WebSocket and polling against one server, from a fixed seed and one random seed (both in
 * the test name; `FUZZ_SEED=<n>` replaces the random one). Afterwards the process raised
 * nothing, no POST hung, the healthy clients still get acks, a new client connects, and
 * the session count is back to the healthy clients. `npm run fuzz` is the long version.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { once, sleep, startServer } from "./support/servers.js";
import { EioPeer, http, pollingHandshake } from "./support/raw-peers.js";
import { assertNoFaults, assertServing, recordFaults, underAttack, waitFor } from "./support/security-harness.js";
import { FUZZ_SERVER_OPTIONS, installFuzzHandlers, randomSeed, runFuzz } from "./support/wire-fuzz.js";

const FIXED_SEED = 0x5eed;
const RANDOM_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomSeed();

test(`wire fuzz leaves the server serving (seeds ${FIXED_SEED} and ${RANDOM_SEED})`, { timeout: 60_000 }, async () => {
  recordFaults();
  const srv = await startServer(FUZZ_SERVER_OPTIONS);
  try {
    installFuzzHandlers(srv.io);
    const healthy = srv.client("/", { transports: ["websocket"] });
    const healthyPolling = srv.client("/", { transports: ["polling"] });
    await Promise.all([once(healthy, "connect"), once(healthyPolling, "connect")]);
    for (const seed of [FIXED_SEED, RANDOM_SEED]) {
      const stats = await runFuzz({ port: srv.port, seed, durationMs: 4000 });
      console.log(
        `wire fuzz seed ${seed}: ${stats.inputs} inputs in ${stats.sessions} sessions, ` +
          `${Math.round((stats.inputs * 1000) / stats.elapsedMs)} inputs/s, ${stats.setupFailures} refused sessions`,
      );
      assert.deepEqual(stats.hangs, [], `seed ${seed}: the server left POSTs unanswered`);
      assertNoFaults();
    }
    await assertServing({ healthy }, "after the fuzz run (websocket)");
    await assertServing({ healthy: healthyPolling }, "after the fuzz run (polling)");
    await waitFor(() => srv.io.engine.clientsCount === 2, "the fuzz sessions to be gone", 5000);
    const fresh = srv.client("/");
    await once(fresh, "connect");
    await assertServing({ healthy: fresh }, "for a new client");
    assert.equal(srv.io.engine.clientsCount, 3);
  } finally {
    await srv.close();
  }
  await sleep(20);
  assertNoFaults();
});

/**
 * Found by the fuzzer (seed 1): an event nested 5,000+ levels deep parsed fine, but echoing
 * it back in an ack overflowed the stack in the encoder, an uncaught exception that took
 * the process down. Such payloads are now refused by the decoder (the connection closes).
 */
test(
  "an echoed payload nested too deeply for the encoder closes the connection, no crash",
  { timeout: 30_000 },
  async () => {
    await underAttack({}, async (t) => {
      for (const deep of ["[".repeat(5000) + "]".repeat(5000), '{"a":'.repeat(20_000) + "1" + "}".repeat(20_000)]) {
        const { peer } = await EioPeer.socketio(t.port);
        t.track(peer);
        peer.send(`421["echo",${deep}]`);
        await peer.closedWithin(3000);
        assert.ok(!peer.messages.some((m) => typeof m === "string" && m.startsWith("431")), "no ack");
      }
      // Over polling too.
      const { sid } = await pollingHandshake(t.port);
      const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
      await http(t.port, { method: "POST", path, body: "40" });
      await http(t.port, { method: "POST", path, body: `421["echo",${"[".repeat(5000)}${"]".repeat(5000)}]` });
      let bodies = "";
      for (let i = 0; i < 3 && !bodies.endsWith("\x1e1"); i++) bodies += "\x1e" + (await http(t.port, { path })).body;
      assert.ok(bodies.endsWith("\x1e1"), "the session is closed");
      // Up to the limit, the same echo works.
      const { peer } = await EioPeer.socketio(t.port);
      t.track(peer);
      const limit = "[".repeat(999) + "]".repeat(999);
      peer.send(`422["echo",${limit}]`);
      assert.equal(await peer.next((m) => typeof m === "string" && m.startsWith("432")), `432[${limit}]`);
    });
  },
);
