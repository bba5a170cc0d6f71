/**
 * Engine.IO v4 heartbeat (protocol v4 "Heartbeat"; reference §2.1): the server pings every
 * `pingInterval`, the client answers within `pingTimeout`. Timing bounds are deliberately
 * loose (lower bound 0.8×, upper bound +1000 ms) so that a loaded machine never flakes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket, Server } from "@omnio/server";
import { readOpen, sleep } from "./support/raw.js";
import { once } from "./support/sio.js";
import { withServer } from "./support/server.js";

const PING_INTERVAL = 300;
const PING_TIMEOUT = 200;
const opts = { pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT };
const SLACK = 1000;

function nextConn(io: Server): Promise<EngineSocket> {
  return once<[EngineSocket]>(io.engine, "connection").then(([c]) => c);
}

describe("Engine.IO heartbeat", { concurrency: true }, () => {
  it("sends the first ping 2 about pingInterval after the handshake (polling)", async () => {
    await withServer(opts, async ({ raw }) => {
      const { sid } = await raw.handshake();
      const start = Date.now();
      const res = await raw.poll(sid, PING_INTERVAL + SLACK + 1000);
      const elapsed = Date.now() - start;
      assert.equal(res.body, "2");
      assert.ok(elapsed >= PING_INTERVAL * 0.8, `ping after ${elapsed} ms`);
      assert.ok(elapsed <= PING_INTERVAL + SLACK, `ping after ${elapsed} ms`);
    });
  });

  it("sends the first ping 2 about pingInterval after the handshake (WebSocket)", async () => {
    await withServer(opts, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const start = Date.now();
        assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
        const elapsed = Date.now() - start;
        assert.ok(elapsed >= PING_INTERVAL * 0.8, `ping after ${elapsed} ms`);
        assert.ok(elapsed <= PING_INTERVAL + SLACK, `ping after ${elapsed} ms`);
      } finally {
        ws.terminate();
      }
    });
  });

  it("keeps a session whose client answers every ping with 3 (polling)", async () => {
    await withServer(opts, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      let closed = false;
      conn.on("close", () => (closed = true));
      for (let i = 0; i < 3; i++) {
        assert.equal((await raw.poll(sid, PING_INTERVAL + SLACK + 1000)).body, "2");
        await raw.pushOk(sid, "3");
      }
      assert.equal(closed, false);
      // Still a live session: a CONNECT is answered.
      await raw.pushOk(sid, "40");
      assert.match((await raw.poll(sid)).body, /^40\{"sid":/);
    });
  });

  it("keeps a session whose client answers every ping with 3 (WebSocket), pinging again after each pong", async () => {
    await withServer(opts, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        let pongAt = Date.now();
        for (let i = 0; i < 3; i++) {
          assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
          // Each ping is scheduled from the previous pong.
          assert.ok(Date.now() - pongAt >= PING_INTERVAL * 0.8, `ping ${Date.now() - pongAt} ms after the pong`);
          ws.send("3");
          pongAt = Date.now();
        }
        await sleep(PING_TIMEOUT);
        assert.ok(ws.isOpen);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes a polling session that does not answer (ping timeout), at about pingInterval + pingTimeout", async () => {
    await withServer(opts, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const start = Date.now();
      const [reason] = await once<[string]>(await connP, "close", PING_INTERVAL + PING_TIMEOUT + SLACK + 1000);
      const elapsed = Date.now() - start;
      assert.equal(reason, "ping timeout");
      assert.ok(elapsed >= (PING_INTERVAL + PING_TIMEOUT) * 0.8, `closed after ${elapsed} ms`);
      assert.ok(elapsed <= PING_INTERVAL + PING_TIMEOUT + SLACK, `closed after ${elapsed} ms`);
      const res = await raw.poll(sid);
      assert.equal(res.status, 400);
      assert.equal(res.body, '{"code":1,"message":"Session ID unknown"}');
    });
  });

  it("closes a WebSocket session that does not answer (ping timeout)", async () => {
    await withServer(opts, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const start = Date.now();
        assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
        await ws.waitClose(PING_TIMEOUT + SLACK + 1000);
        const elapsed = Date.now() - start;
        assert.ok(elapsed >= (PING_INTERVAL + PING_TIMEOUT) * 0.8, `closed after ${elapsed} ms`);
      } finally {
        ws.terminate();
      }
    });
  });

  it("extends the pong wait once when another packet arrives meanwhile (engine.io 6.6.13)", async () => {
    // pingTimeout long enough that the checks below sit 500 ms away from either deadline.
    await withServer({ pingInterval: 300, pingTimeout: 1000 }, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.next(300 + SLACK + 1000), "2");
        const pingAt = Date.now();
        await sleep(800);
        ws.send("40"); // any packet but a pong; unrefreshed, the deadline would be pingAt + 1000
        await ws.nextText();
        await sleep(pingAt + 1500 - Date.now());
        assert.ok(ws.isOpen, "the session was closed at the original deadline");
        await ws.waitClose(2500);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the session when a v4 client sends a ping (invalid heartbeat direction), WebSocket", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const conn = await connP;
        const closed = once<[string, unknown]>(conn, "close");
        ws.send("2");
        const [reason] = await closed;
        assert.equal(reason, "transport error");
        await ws.waitClose();
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the session when a v4 client sends a ping (invalid heartbeat direction), polling", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const closed = once<[string]>(await connP, "close");
      await raw.pushOk(sid, "2");
      assert.equal((await closed)[0], "transport error");
      await raw.waitSessionGone(sid);
    });
  });
});
