/** Handshake and transports against omnio and the official socket.io server. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { EngineSocket } from "@omnio/client";
import { SERVER_KINDS, nodePlatform, once, startServer } from "./support/servers.js";

for (const kind of SERVER_KINDS) {
  describe(`engine handshake [${kind}]`, () => {
    test("handshake over polling, no upgrade", async () => {
      const srv = await startServer(kind);
      try {
        const engine = new EngineSocket(srv.url, { platform: nodePlatform(), path: "/socket.io", upgrade: false });
        const [handshake] = await once<[{ sid: string; upgrades: string[] }]>(engine, "handshake");
        const conn = await srv.nextConnection();
        assert.equal(engine.readyState, "open");
        assert.equal(engine.transport, "polling");
        assert.equal(engine.id, handshake.sid);
        assert.equal(conn.id, handshake.sid);
        assert.deepEqual(handshake.upgrades, ["websocket"]);
        engine.close();
        assert.equal(engine.readyState, "closed");
      } finally {
        await srv.close();
      }
    });

    test("websocket only", async () => {
      const srv = await startServer(kind);
      try {
        const engine = new EngineSocket(srv.url, {
          platform: nodePlatform(),
          path: "/socket.io",
          transports: ["websocket"],
        });
        const [handshake] = await once<[{ upgrades: string[] }]>(engine, "handshake");
        const conn = await srv.nextConnection();
        assert.equal(engine.transport, "websocket");
        assert.equal(conn.transport.name, "websocket");
        assert.deepEqual(handshake.upgrades, []);
        engine.close();
      } finally {
        await srv.close();
      }
    });

    test("upgrade from polling to websocket, messages flow before and after", async () => {
      const srv = await startServer(kind);
      try {
        const engine = new EngineSocket(srv.url, { platform: nodePlatform(), path: "/socket.io" });
        const events: string[] = [];
        engine.on("upgrading", (t) => events.push("upgrading:" + t));
        engine.on("upgrade", (t) => events.push("upgrade:" + t));
        await once(engine, "open");
        const conn = await srv.nextConnection();
        const received: string[] = [];
        conn.on("message", (data: string) => received.push(data));
        engine.send("0"); // a Socket.IO CONNECT (the Socket.IO layer of both servers parses messages)
        await once(engine, "upgrade");
        assert.deepEqual(events, ["upgrading:websocket", "upgrade:websocket"]);
        assert.equal(engine.transport, "websocket");
        assert.equal(engine.upgraded, true);
        engine.send('2["after"]');
        const echoed = once<[string]>(engine, "message");
        conn.send("from server");
        assert.deepEqual(await echoed, ["from server"]);
        while (received.length < 2) await once(conn, "message");
        assert.deepEqual(received, ["0", '2["after"]']);
        assert.equal(conn.transport.name, "websocket");
        engine.close();
      } finally {
        await srv.close();
      }
    });

    test("rememberUpgrade starts with websocket after a successful upgrade", async () => {
      const srv = await startServer(kind);
      try {
        const upgradeMemory = { websocketSucceeded: false };
        const options = { platform: nodePlatform(), path: "/socket.io", rememberUpgrade: true, upgradeMemory };
        const first = new EngineSocket(srv.url, options);
        await once(first, "upgrade");
        first.close();
        assert.equal(upgradeMemory.websocketSucceeded, true);
        const second = new EngineSocket(srv.url, options);
        await once(second, "open");
        assert.equal(second.transport, "websocket");
        second.close();
      } finally {
        await srv.close();
      }
    });

    test("a Socket.IO CONNECT sent raw (wire 40) is answered with 40{sid}", async () => {
      const srv = await startServer(kind);
      try {
        const engine = new EngineSocket(srv.url, { platform: nodePlatform(), path: "/socket.io" });
        engine.on("open", () => engine.send("0"));
        const [reply] = await once<[string]>(engine, "message");
        assert.match(reply, /^0\{"sid":"[^"]+"/);
        engine.close();
      } finally {
        await srv.close();
      }
    });

    test("tryAllTransports falls back to polling when websocket cannot open", async () => {
      const srv = await startServer(kind, { transports: ["polling"] });
      try {
        const engine = new EngineSocket(srv.url, {
          platform: nodePlatform(),
          path: "/socket.io",
          transports: ["websocket", "polling"],
          tryAllTransports: true,
        });
        await once(engine, "open");
        assert.equal(engine.transport, "polling");
        engine.close();
      } finally {
        await srv.close();
      }
    });
  });
}
