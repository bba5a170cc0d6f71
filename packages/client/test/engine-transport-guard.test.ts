/** The transport-id guard: a stale transport (closed, replaced, failed probe) can never act. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { EngineSocket, type HttpHandlers, type Platform, type SocketHandlers } from "@omnio/client";
import { SERVER_KINDS, nodePlatform, once, sleep, startServer } from "./support/servers.js";
import { FakePlatform } from "./support/fake-platform.js";

/** Wraps a platform and records the callbacks it hands to every connection and request. */
function recording(base: Platform): { platform: Platform; sockets: SocketHandlers[]; requests: HttpHandlers[] } {
  const sockets: SocketHandlers[] = [];
  const requests: HttpHandlers[] = [];
  const platform: Platform = {
    ...base,
    name: base.name,
    createSocket: (r, h) => {
      sockets.push(h);
      return base.createSocket!(r, h);
    },
    request: (r, h) => {
      requests.push(h);
      return base.request!(r, h);
    },
    setTimeout: (f, ms) => base.setTimeout(f, ms),
    clearTimeout: (t) => base.clearTimeout(t),
    now: () => base.now(),
    toArrayBuffer: (d) => base.toArrayBuffer(d),
  };
  return { platform, sockets, requests };
}

for (const kind of SERVER_KINDS) {
  describe(`transport guard [${kind}]`, () => {
    test("after an upgrade, the old polling transport's callbacks are ignored", async () => {
      const srv = await startServer(kind);
      try {
        const rec = recording(nodePlatform());
        const engine = new EngineSocket(srv.url, { platform: rec.platform, path: "/socket.io" });
        await once(engine, "upgrade");
        const events: unknown[] = [];
        engine.on("message", (d) => events.push(d));
        engine.on("close", (r) => events.push(r));
        engine.on("error", (e) => events.push(e));
        for (const h of rec.requests) {
          h.onResponse({ status: 200, headers: {}, body: "4stale\x1e1" });
          h.onError(new Error("stale"));
        }
        await sleep(50);
        assert.deepEqual(events, []);
        assert.equal(engine.readyState, "open");
        engine.close();
      } finally {
        await srv.close();
      }
    });

    test("after close(), the websocket's late callbacks are ignored", async () => {
      const srv = await startServer(kind);
      try {
        const rec = recording(nodePlatform());
        const engine = new EngineSocket(srv.url, {
          platform: rec.platform,
          path: "/socket.io",
          transports: ["websocket"],
        });
        await once(engine, "open");
        const closes: string[] = [];
        engine.on("close", (r) => closes.push(r));
        engine.close();
        const late: unknown[] = [];
        engine.on("message", (d) => late.push(d));
        engine.on("error", (e) => late.push(e));
        for (const h of rec.sockets) {
          h.onMessage("4late");
          h.onClose(1006, "");
          h.onError(new Error("late"));
        }
        assert.deepEqual(closes, ["forced close"]);
        assert.deepEqual(late, []);
      } finally {
        await srv.close();
      }
    });
  });
}

test("a failed probe cannot act on the engine after the failure", () => {
  const platform = new FakePlatform();
  const engine = new EngineSocket("http://example.test", { platform, transports: ["websocket"] });
  const first = platform.connections[0]!;
  first.handlers.onOpen();
  first.handlers.onMessage('0{"sid":"s","upgrades":[],"pingInterval":1000,"pingTimeout":500,"maxPayload":1000}');
  // Simulate a stale connection from before (e.g. a replaced transport) by closing the engine,
  // then feeding the old connection: nothing may change.
  const events: unknown[] = [];
  engine.on("message", (d) => events.push(d));
  engine.close();
  first.handlers.onMessage("4x");
  first.handlers.onOpen();
  first.handlers.onClose(1000, "");
  assert.deepEqual(events, []);
  assert.equal(first.closed, true);
});
