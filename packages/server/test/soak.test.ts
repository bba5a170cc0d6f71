/**
 * A bounded soak (`support/soak.ts`): 100 official clients churn over WebSocket, polling and
 * upgrade for a few seconds against a server process run with `--expose-gc`. Every ack and
 * every broadcast to a connected client must arrive, and once all clients left, the server's
 * heap after gc is back within 5 MB of its baseline. `npm run soak` is the long version.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runSoak } from "./support/soak.js";

const MB = 1024 * 1024;

test(
  "100 clients churning for a few seconds: every ack and broadcast arrives, no heap growth",
  { timeout: 60_000 },
  async () => {
    const result = await runSoak({ clients: 100, seconds: 5 });
    console.log(
      `soak: ${result.rounds} rounds, ${result.connects} connects, ${result.acksReceived} acks, ` +
        `${result.deliveries} broadcast deliveries; heap ${(result.baselineHeap / MB).toFixed(1)} MB → ${(result.finalHeap / MB).toFixed(1)} MB`,
    );
    assert.deepEqual(result.errors, []);
    assert.equal(result.acksReceived, result.acksSent, "every ack arrived");
    assert.deepEqual(result.missing, [], "every broadcast reached its connected recipients");
    assert.ok(result.rounds > 1 && result.deliveries > 0, "the loop ran");
    assert.ok(
      result.finalHeap - result.baselineHeap < 5 * MB,
      `server heap grew from ${result.baselineHeap} to ${result.finalHeap} bytes`,
    );
  },
);
