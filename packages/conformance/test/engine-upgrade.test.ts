/**
 * Engine.IO v4 upgrade from polling to WebSocket (protocol v4 "Upgrade"; reference §2.1):
 * `2probe` → `3probe`, a `6` ends the pending GET, `5` switches the session; failed or
 * unfinished probes leave the polling session intact.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket, Server } from "@omnio/server";
import { SEP, waitUntil, type RawEngine, type RawWs } from "./support/raw.js";
import { connectData, once } from "./support/sio.js";
import { withServer } from "./support/server.js";

function nextConn(io: Server): Promise<EngineSocket> {
  return once<[EngineSocket]>(io.engine, "connection").then(([c]) => c);
}

/** The polling session still works: a CONNECT is answered over polling. */
async function assertPollingAlive(raw: RawEngine, sid: string): Promise<void> {
  await raw.pushOk(sid, "40");
  const res = await raw.poll(sid);
  assert.equal(res.status, 200);
  connectData(res.body);
}

/** Opens a probing WebSocket for `sid` and completes `2probe` → `3probe`. */
async function probe(raw: RawEngine, sid: string): Promise<RawWs> {
  const ws = await raw.ws({ sid });
  ws.send("2probe");
  assert.equal(await ws.nextText(), "3probe");
  return ws;
}

describe("Engine.IO upgrade", { concurrency: true }, () => {
  it("upgrades: 2probe → 3probe, the pending GET gets 6, 5 moves the session to the WebSocket", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid, open } = await raw.handshake();
      assert.deepEqual(open.upgrades, ["websocket"]);
      const conn = await connP;
      const pending = raw.startPoll(sid);
      await waitUntil(() => conn.transport.writable, "the server holds the GET");
      const ws = await raw.ws({ sid });
      try {
        // Nothing is sent on the probing WebSocket before the probe.
        const upgrading = once(conn, "upgrading");
        ws.send("2probe");
        assert.equal(await ws.nextText(), "3probe");
        await upgrading;
        const res = await pending.response;
        assert.equal(res.status, 200);
        assert.equal(res.body, "6");
        const upgraded = once(conn, "upgrade");
        ws.send("5");
        await upgraded;
        assert.equal(conn.transport.name, "websocket");
        conn.send("over-ws");
        assert.equal(await ws.nextText(), "4over-ws");
        // The session still works over the WebSocket in both directions.
        ws.send("40");
        connectData(await ws.nextText());
        // Polling requests for an upgraded session: 400 code 3 (TRANSPORT_MISMATCH).
        const after = await raw.poll(sid);
        assert.equal(after.status, 400);
        assert.equal(after.body, '{"code":3,"message":"Bad request"}');
      } finally {
        ws.terminate();
      }
    });
  });

  it("answers a GET that arrives during the probe with 6", async () => {
    await withServer({}, async ({ raw }) => {
      const { sid } = await raw.handshake();
      const ws = await probe(raw, sid);
      try {
        const res = await raw.poll(sid);
        assert.equal(res.body, "6");
      } finally {
        ws.terminate();
      }
    });
  });

  it("delivers over the WebSocket the packets buffered during the upgrade", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const ws = await probe(raw, sid);
      try {
        conn.send("a");
        conn.send("b");
        ws.send("5");
        assert.equal(await ws.nextText(), "4a");
        assert.equal(await ws.nextText(), "4b");
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes a second WebSocket for an already upgraded session", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const ws = await probe(raw, sid);
      try {
        const upgraded = once(conn, "upgrade");
        ws.send("5");
        await upgraded;
        // socket.io completes the WebSocket handshake, then closes the WebSocket at once.
        const second = await raw.ws({ sid });
        try {
          await second.waitClose();
          assert.deepEqual(second.drain(), []);
        } finally {
          second.terminate();
        }
        // The first WebSocket still carries the session.
        conn.send("still");
        assert.equal(await ws.nextText(), "4still");
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes a second WebSocket while the first one is probing", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const ws = await probe(raw, sid);
      try {
        const second = await raw.ws({ sid });
        try {
          await second.waitClose();
          assert.deepEqual(second.drain(), []);
        } finally {
          second.terminate();
        }
        const upgraded = once(conn, "upgrade");
        ws.send("5");
        await upgraded;
        conn.send("fine");
        assert.equal(await ws.nextText(), "4fine");
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes a probing WebSocket that never sends 5 after upgradeTimeout; polling goes on", async () => {
    // Long enough for the probe itself to be answered on a loaded machine.
    await withServer({ upgradeTimeout: 1500 }, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      let closed = false;
      conn.on("close", () => (closed = true));
      const ws = await probe(raw, sid);
      try {
        await ws.waitClose(1500 + 5000);
        assert.equal(closed, false);
        assert.equal(conn.transport.name, "polling");
        await assertPollingAlive(raw, sid);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes a WebSocket that never probes after upgradeTimeout; polling goes on", async () => {
    await withServer({ upgradeTimeout: 200 }, async ({ raw }) => {
      const { sid } = await raw.handshake();
      const ws = await raw.ws({ sid });
      try {
        await ws.waitClose(200 + 5000);
        await assertPollingAlive(raw, sid);
      } finally {
        ws.terminate();
      }
    });
  });

  for (const [name, frame] of [
    ["a message", "4hello"],
    ["a ping without probe", "2"],
    ["a pong", "3probe"],
    ["a noop", "6"],
  ] as const) {
    it(`aborts the upgrade on ${name} before the probe, keeping the polling session`, async () => {
      await withServer({}, async ({ io, raw }) => {
        const connP = nextConn(io);
        const { sid } = await raw.handshake();
        const conn = await connP;
        const ws = await raw.ws({ sid });
        try {
          ws.send(frame);
          await ws.waitClose();
          assert.equal(conn.transport.name, "polling");
          await assertPollingAlive(raw, sid);
        } finally {
          ws.terminate();
        }
      });
    });
  }

  it("aborts the upgrade on a message after the probe, keeping the polling session", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const ws = await probe(raw, sid);
      try {
        ws.send("4hello");
        await ws.waitClose();
        assert.equal(conn.transport.name, "polling");
        // After an aborted probe, GETs are long-polls again (not answered 6 at once).
        conn.send("after");
        assert.equal((await raw.poll(sid)).body.split(SEP).at(-1), "4after");
        await assertPollingAlive(raw, sid);
      } finally {
        ws.terminate();
      }
    });
  });

  it("keeps the polling session when the probing WebSocket is closed by the client", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const ws = await probe(raw, sid);
      ws.close();
      await ws.waitClose();
      await waitUntil(() => !conn.upgrading, "the upgrade is abandoned");
      assert.equal(conn.readyState, "open");
      await assertPollingAlive(raw, sid);
    });
  });
});
