#!/usr/bin/env node
// Long wire-fuzz run against an in-process omnio server (the compiled helper
// packages/server/dist-test/support/wire-fuzz.js; run `npm run build` first, or `npm run fuzz`).
// Usage: node scripts/fuzz-server.mjs [--seconds 60] [--seed N] [--concurrency 8] [--session N]
//   --session N replays session N of --seed alone (from a fault report).
// Prints throughput every few seconds and, on a fault, the seed and the sessions in flight;
// exits non-zero on a fault (uncaught error, unanswered POST, server no longer serving).
import { parseArgs } from "node:util";

const dist = new URL("../packages/server/dist-test/support/", import.meta.url);
const { startServer, once, sleep } = await import(new URL("servers.js", dist).href);
const { waitFor } = await import(new URL("security-harness.js", dist).href);
const fuzz = await import(new URL("wire-fuzz.js", dist).href);

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    seed: { type: "string" },
    concurrency: { type: "string", default: "8" },
    session: { type: "string" },
  },
});
const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : fuzz.randomSeed();
const seconds = Number(values.seconds);
const inFlight = new Set();
const faults = [];
function fault(what) {
  faults.push(what);
  console.error(`FAULT (seed ${seed}, sessions in flight: ${[...inFlight].join(", ") || "none"}):\n${what}`);
  for (const index of inFlight) {
    const s = fuzz.fuzzSession(seed, index);
    console.error(`  session ${index} (${s.transport}):`);
    for (const input of s.inputs) console.error(`    ${fuzz.describeInput(input)}`);
  }
  console.error(`  replay one: node scripts/fuzz-server.mjs --seed ${seed} --session <n>`);
}
process.on("uncaughtException", (err) => fault(`uncaughtException: ${err.stack ?? err}`));
process.on("unhandledRejection", (reason) => fault(`unhandledRejection: ${reason?.stack ?? reason}`));

const srv = await startServer(fuzz.FUZZ_SERVER_OPTIONS);
let connections = 0;
let events = 0;
srv.io.on("connection", (socket) => {
  connections++;
  socket.onAny(() => events++);
});
fuzz.installFuzzHandlers(srv.io);
try {
  const healthy = srv.client("/", { transports: ["websocket"] });
  await once(healthy, "connect");
  console.log(
    `fuzz-server: seed ${seed}, ${values.session ? `session ${values.session}` : `${seconds} s`}, port ${srv.port}`,
  );
  let stats;
  if (values.session !== undefined) {
    const index = Number(values.session);
    inFlight.add(index);
    for (const input of fuzz.fuzzSession(seed, index).inputs) console.log(`  ${fuzz.describeInput(input)}`);
    stats = await fuzz.replaySession(srv.port, seed, index);
  } else {
    const live = fuzz.emptyStats(seed);
    const run = fuzz.runFuzz(
      {
        port: srv.port,
        seed,
        durationMs: seconds * 1000,
        concurrency: Number(values.concurrency),
        onSession: (index, state) => (state === "start" ? inFlight.add(index) : inFlight.delete(index)),
      },
      live,
    );
    const started = Date.now();
    let lastInputs = 0;
    const ticker = setInterval(() => {
      const mem = process.memoryUsage();
      console.log(
        `  ${Math.round((Date.now() - started) / 1000)} s: ${events} events on ${connections} sockets, ` +
          `${srv.io.engine.clientsCount} sessions open, heap ${(mem.heapUsed / 1e6).toFixed(1)} MB, ` +
          `${Math.round((live.inputs - lastInputs) / 5)} inputs/s`,
      );
      lastInputs = live.inputs;
    }, 5000);
    stats = await run;
    clearInterval(ticker);
  }
  inFlight.clear();
  for (const hang of stats.hangs) fault(`hang: ${hang}`);
  console.log(
    `fuzz-server: ${stats.inputs} inputs in ${stats.sessions} sessions, ` +
      `${Math.round((stats.inputs * 1000) / Math.max(1, stats.elapsedMs))} inputs/s; ` +
      `${connections} namespace connections, ${events} events reached listeners, ${stats.setupFailures} refused sessions`,
  );
  try {
    const echoed = await healthy.timeout(4000).emitWithAck("echo", "still serving");
    if (echoed !== "still serving") fault(`the healthy client got ${JSON.stringify(echoed)} back`);
    await waitFor(() => srv.io.engine.clientsCount === 1, "the fuzz sessions to be gone", 5000);
    const fresh = srv.client("/");
    await once(fresh, "connect");
  } catch (err) {
    fault(`not serving after the run: ${err.stack ?? err}`);
  }
} finally {
  await srv.close();
}
await sleep(50);
if (faults.length > 0) {
  console.error(`fuzz-server: ${faults.length} fault(s); reproduce with --seed ${seed}`);
  process.exit(1);
}
console.log("fuzz-server: no faults");
process.exit(0);
