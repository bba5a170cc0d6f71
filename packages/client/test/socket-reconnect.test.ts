/** Socket.IO client: reconnection after the server drops the connection, and connection state recovery. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Backoff } from "@omnio/client";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

describe("backoff", () => {
  test("doubles from min, capped at max, jitter within ± factor", () => {
    const plain = new Backoff({ min: 100, max: 1000, jitter: 0, random: Math.random });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => plain.duration()),
      [100, 200, 400, 800, 1000],
    );
    plain.reset();
    assert.equal(plain.duration(), 100);
    const low = new Backoff({ min: 1000, max: 5000, jitter: 0.5, random: () => 0.99 }); // odd digit → +
    assert.equal(low.duration(), 1000 + Math.floor(0.99 * 0.5 * 1000));
    const high = new Backoff({ min: 1000, max: 5000, jitter: 0.5, random: () => 0.4 }); // even digit → -
    assert.equal(high.duration(), 1000 - Math.floor(0.4 * 0.5 * 1000));
    for (let i = 0; i < 200; i++) {
      const b = new Backoff({ min: 1000, max: 5000, jitter: 0.5, random: Math.random });
      const d = b.duration();
      assert.ok(d >= 500 && d <= 1500, String(d));
    }
    assert.throws(() => new Backoff({ min: 1, max: 2, jitter: 2, random: Math.random }), TypeError);
  });
});

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`socket reconnect [${kind}, ${mode.name}]`, () => {
      const base = {
        transports: mode.transports,
        upgrade: mode.upgrade,
        reconnectionDelay: 30,
        reconnectionDelayMax: 100,
      };

      test("server drops the connection → transport close, backoff, reconnect with a new id", async () => {
        const srv = await startSio(kind);
        try {
          const first = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          await once(socket, "connect");
          const firstId = socket.id;
          const events: string[] = [];
          socket.io.on("reconnect_attempt", (n) => events.push(`attempt ${n}`));
          socket.io.on("reconnect", (n) => events.push(`reconnect ${n}`));
          socket.io.on("close", (reason) => events.push(`close ${reason}`));
          const disconnect = once<[string]>(socket, "disconnect");
          const reconnected = once(socket, "connect");
          (await first).conn.close();
          assert.equal((await disconnect)[0], "transport close");
          assert.equal(socket.active, true);
          assert.equal(socket.connected, false);
          await reconnected;
          assert.equal(socket.connected, true);
          assert.notEqual(socket.id, firstId);
          assert.equal(socket.recovered, false);
          assert.deepEqual(events, ["close transport close", "attempt 1", "reconnect 1"]);
          assert.equal(srv.engineConnections(), 2);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("connection state recovery: missed broadcasts delivered, recovered === true, same id", async () => {
        const srv = await startSio(kind, { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } });
        try {
          const first = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          const got: string[] = [];
          socket.on("news", (text: string) => got.push(text));
          await once(socket, "connect");
          const s = await first;
          // The server must emit once before the client has an offset (website PR#465).
          srv.io.emit("news", "one");
          await until(() => got.length === 1, 3000, "first broadcast");
          const firstId = socket.id;
          const disconnect = once(socket, "disconnect");
          s.conn.close();
          await disconnect;
          srv.io.emit("news", "missed-1");
          srv.io.emit("news", "missed-2");
          await once(socket, "connect");
          assert.equal(socket.recovered, true);
          assert.equal(socket.id, firstId);
          await until(() => got.length === 3, 3000, "missed broadcasts");
          assert.deepEqual(got, ["one", "missed-1", "missed-2"]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("emits made while reconnecting are flushed in order after the reconnection", async () => {
        const srv = await startSio(kind);
        try {
          const first = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          await once(socket, "connect");
          const disconnect = once(socket, "disconnect");
          (await first).conn.close();
          await disconnect;
          const received: number[] = [];
          srv.io.on("connection", (s: any) => s.on("n", (n: number) => received.push(n)));
          for (let i = 0; i < 5; i++) socket.emit("n", i);
          await once(socket, "connect");
          await until(() => received.length === 5, 3000, "5 events");
          assert.deepEqual(received, [0, 1, 2, 3, 4]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });
    });
  }
}
