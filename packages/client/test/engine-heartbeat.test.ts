/** Heartbeat against real servers: stays up with small intervals; a frozen link is detected in time. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { EngineSocket, type TransportName } from "@omnio/client";
import { SERVER_KINDS, nodePlatform, once, startServer } from "./support/servers.js";
import { startFaultProxy } from "./support/fault-proxy.js";

const PING_INTERVAL = 200;
// Server and client run in one (possibly loaded) process, so the round trip gets room: with a
// tight pingTimeout a busy CI host can lose the first ping before the link is even frozen.
const RELAXED_PING_TIMEOUT = 600;
const FROZEN_PING_TIMEOUT = 400;

for (const kind of SERVER_KINDS) {
  describe(`engine heartbeat [${kind}]`, () => {
    for (const transport of ["polling", "websocket"] as TransportName[]) {
      test(`[${transport}] stays connected across many pings`, async () => {
        const srv = await startServer(kind, { pingInterval: PING_INTERVAL, pingTimeout: RELAXED_PING_TIMEOUT });
        try {
          const engine = new EngineSocket(srv.url, {
            platform: nodePlatform(),
            path: "/socket.io",
            transports: [transport],
          });
          let pings = 0;
          let closed: string | undefined;
          engine.on("ping", () => pings++);
          engine.on("close", (reason) => (closed = reason));
          await once(engine, "open");
          // Counted pings rather than a fixed sleep: a loaded host may deliver fewer in a given time,
          // but the connection must survive every one of them.
          for (let i = 0; i < 5; i++) await once(engine, "ping", 10_000);
          assert.equal(closed, undefined);
          assert.ok(pings >= 5, `expected at least 5 pings, got ${pings}`);
          assert.equal(engine.hasPingExpired(), false);
          engine.close();
        } finally {
          await srv.close();
        }
      });

      test(`[${transport}] a frozen link is detected within pingInterval + pingTimeout`, async () => {
        const srv = await startServer(kind, { pingInterval: PING_INTERVAL, pingTimeout: FROZEN_PING_TIMEOUT });
        const proxy = await startFaultProxy(srv.port);
        try {
          const engine = new EngineSocket(proxy.url, {
            platform: nodePlatform(),
            path: "/socket.io",
            transports: [transport],
          });
          await once(engine, "open");
          await once(engine, "ping");
          const closing = once<[string]>(engine, "close", 5000);
          const frozenAt = Date.now();
          proxy.freeze();
          const [reason] = await closing;
          const elapsed = Date.now() - frozenAt;
          assert.equal(reason, "ping timeout");
          // Loose bounds: the deadline is at most pingInterval + pingTimeout after the last ping.
          assert.ok(elapsed <= PING_INTERVAL + FROZEN_PING_TIMEOUT + 1000, `detected after ${elapsed} ms`);
        } finally {
          await proxy.close();
          await srv.close();
        }
      });
    }
  });
}
