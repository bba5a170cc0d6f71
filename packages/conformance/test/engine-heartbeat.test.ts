/**
 * Engine.IO v4 heartbeat (protocol v4 "Heartbeat"; reference §2.1): the server pings every
 * `pingInterval`, the client answers within `pingTimeout`.
 *
 * Timing: intervals are measured from server-side instants (the `connection` event, the
 * `heartbeat` event of a pong, `packetCreate` of a ping), because timers never fire early
 * but a busy test process may read a frame late. Bounds are loose: lower 0.8×, upper
 * +1000 ms. Tests that must stay alive use a long pingTimeout so that a stalled event loop
 * cannot miss a pong deadline.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket } from "@omnio/server";
import { readOpen, sleep, WAIT_MS, withTimeout } from "./support/raw.js";
import { nextConnection } from "./support/sio.js";
import { withServer } from "./support/server.js";

const PING_INTERVAL = 300;
const PING_TIMEOUT = 200;
const opts = { pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT };
/** For sessions that must survive: answers may be seconds late on a loaded machine. */
const patient = { pingInterval: PING_INTERVAL, pingTimeout: 5000 };
const SLACK = 1000;

function assertAbout(elapsed: number, expected: number, what: string): void {
  assert.ok(elapsed >= expected * 0.8, `${what} after ${elapsed} ms, expected about ${expected}`);
  assert.ok(elapsed <= expected + SLACK, `${what} after ${elapsed} ms, expected about ${expected}`);
}

describe("Engine.IO heartbeat", { concurrency: true }, () => {
  it("sends the first ping 2 about pingInterval after the handshake (polling)", async () => {
    await withServer(patient, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const { sid } = await raw.handshake();
      const { openedAt: at } = await opened;
      const res = await raw.poll(sid, PING_INTERVAL + SLACK + 1000);
      assert.equal(res.body, "2");
      assertAbout(Date.now() - at, PING_INTERVAL, "first ping");
    });
  });

  it("sends the first ping 2 about pingInterval after the handshake (WebSocket)", async () => {
    await withServer(opts, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const { openedAt: at } = await opened;
        assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
        assertAbout(Date.now() - at, PING_INTERVAL, "first ping");
      } finally {
        ws.terminate();
      }
    });
  });

  it("keeps a session whose client answers every ping with 3 (polling)", async () => {
    await withServer(patient, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const { sid } = await raw.handshake();
      let closed = false;
      void (await opened).closed.then(() => (closed = true));
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

  it("keeps a session whose client answers every ping with 3 (WebSocket), pinging again pingInterval after each pong", async () => {
    await withServer(patient, async ({ io, raw }) => {
      // Server-side instants: each pong received, each ping created.
      const pongs: number[] = [];
      const pings: number[] = [];
      io.engine.once("connection", (conn: EngineSocket) => {
        conn.on("heartbeat", () => pongs.push(Date.now()));
        conn.on("packetCreate", (p: { type: string }) => {
          if (p.type === "ping") pings.push(Date.now());
        });
      });
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        for (let i = 0; i < 3; i++) {
          assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
          ws.send("3");
        }
        assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
        assert.ok(pongs.length >= 3 && pings.length >= 4, `${pongs.length} pongs, ${pings.length} pings`);
        for (let i = 0; i < 3; i++)
          assertAbout(pings[i + 1]! - pongs[i]!, PING_INTERVAL, `ping ${i + 2} (after pong ${i + 1})`);
        assert.ok(ws.isOpen);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes a polling session that does not answer (ping timeout), at about pingInterval + pingTimeout", async () => {
    await withServer(opts, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const { sid } = await raw.handshake();
      const { closed, openedAt } = await opened;
      const { reason, closedAt } = await withTimeout(closed, PING_INTERVAL + PING_TIMEOUT + SLACK + 1000, "the close");
      assert.equal(reason, "ping timeout");
      assertAbout(closedAt - openedAt, PING_INTERVAL + PING_TIMEOUT, "ping timeout");
      const res = await raw.poll(sid);
      assert.equal(res.status, 400);
      assert.equal(res.body, '{"code":1,"message":"Session ID unknown"}');
    });
  });

  it("closes a WebSocket session that does not answer (ping timeout)", async () => {
    await withServer(opts, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const { openedAt: at } = await opened;
        assert.equal(await ws.next(PING_INTERVAL + SLACK + 1000), "2");
        await ws.waitClose(PING_TIMEOUT + SLACK + 1000);
        assertAbout(Date.now() - at, PING_INTERVAL + PING_TIMEOUT, "ping timeout");
      } finally {
        ws.terminate();
      }
    });
  });

  it("extends the pong wait once when another packet arrives meanwhile (engine.io 6.6.13)", async () => {
    // Deadlines 1.5 s away from every check, so that a slow test process cannot blur them.
    const pingTimeout = 3000;
    await withServer({ pingInterval: 300, pingTimeout }, async ({ io, raw }) => {
      let pingAt = 0;
      let closedAt = 0;
      io.engine.once("connection", (conn: EngineSocket) => {
        conn.on("packetCreate", (p: { type: string }) => {
          if (p.type === "ping" && pingAt === 0) pingAt = Date.now();
        });
        conn.on("close", () => (closedAt = Date.now()));
      });
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.next(300 + SLACK + 1000), "2");
        await sleep(pingAt + pingTimeout / 2 - Date.now());
        ws.send("40"); // any packet but a pong; unrefreshed, the deadline is pingAt + 3000
        await ws.nextText();
        await ws.waitClose(pingTimeout + SLACK + 2000);
        // Closed by the refreshed deadline (≈ pingAt + 4500), not the original one.
        assert.ok(closedAt - pingAt >= pingTimeout * 1.25, `closed ${closedAt - pingAt} ms after the ping`);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the session when a v4 client sends a ping (invalid heartbeat direction), WebSocket", async () => {
    await withServer({}, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const { closed } = await opened;
        ws.send("2");
        assert.equal((await withTimeout(closed, WAIT_MS, "the close")).reason, "transport error");
        await ws.waitClose();
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the session when a v4 client sends a ping (invalid heartbeat direction), polling", async () => {
    await withServer({}, async ({ io, raw }) => {
      const opened = nextConnection(io);
      const { sid } = await raw.handshake();
      const { closed } = await opened;
      await raw.pushOk(sid, "2");
      assert.equal((await withTimeout(closed, WAIT_MS, "the close")).reason, "transport error");
      await raw.waitSessionGone(sid);
    });
  });
});
