#!/usr/bin/env node
// Soak run: many official socket.io-client clients churn (connect, join, acks, broadcasts,
// disconnect, reconnect) against an omnio server in a child process run with --expose-gc,
// using the compiled helper packages/server/dist-test/support/soak.js (`npm run soak` builds).
// Usage: node scripts/soak-server.mjs [--clients 500] [--seconds 60] [--rooms 5] [--seed 1] [--max-growth-mb 5]
// Prints the server's heap (after gc) about once a second; exits non-zero on a missing ack,
// a missing broadcast, an unexpected disconnect or heap growth past the bound.
import { parseArgs } from "node:util";

const { runSoak } = await import(new URL("../packages/server/dist-test/support/soak.js", import.meta.url).href);
const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "500" },
    seconds: { type: "string", default: "60" },
    rooms: { type: "string", default: "5" },
    seed: { type: "string", default: "1" },
    "max-growth-mb": { type: "string", default: "5" },
  },
});
const MB = 1024 * 1024;
const mb = (bytes) => (bytes / MB).toFixed(2) + " MB";
console.log(`soak-server: ${values.clients} clients, ${values.seconds} s, seed ${values.seed}`);
const result = await runSoak({
  clients: Number(values.clients),
  seconds: Number(values.seconds),
  rooms: Number(values.rooms),
  seed: Number(values.seed),
  onSample: (s) => console.log(`  ${(s.atMs / 1000).toFixed(1)} s: heap ${mb(s.heapUsed)}, ${s.sessions} sessions`),
});
const growth = result.finalHeap - result.baselineHeap;
console.log(
  `soak-server: ${result.rounds} rounds, ${result.connects} connects, ${result.acksReceived}/${result.acksSent} acks, ` +
    `${result.deliveries} broadcast deliveries, ${result.missing.length} missing; ` +
    `heap ${mb(result.baselineHeap)} → ${mb(result.finalHeap)} (${growth >= 0 ? "+" : ""}${mb(growth)})`,
);
const problems = [
  ...result.errors,
  ...result.missing.map((m) => `missing broadcast: ${m}`),
  ...(result.acksReceived !== result.acksSent ? [`${result.acksSent - result.acksReceived} acks never arrived`] : []),
  ...(growth > Number(values["max-growth-mb"]) * MB ? [`heap grew by ${mb(growth)}`] : []),
];
for (const p of problems.slice(0, 50)) console.error(`  FAULT: ${p}`);
if (problems.length > 0) {
  console.error(`soak-server: ${problems.length} problem(s) (seed ${values.seed})`);
  process.exit(1);
}
console.log("soak-server: ok");
