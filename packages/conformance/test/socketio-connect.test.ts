/**
 * Socket.IO v5 connection rules (socket.io-protocol v5 "Connection to a namespace";
 * reference §2.3, §1.5 Client rules, §1.6): CONNECT first, the `{sid}` answer, namespaces,
 * auth, connectTimeout and connection state recovery.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket, Socket } from "@omnio/server";
import { readOpen, waitUntil, type RawWs } from "./support/raw.js";
import { connectData, connectPolling, connectWs, once } from "./support/sio.js";
import { withServer } from "./support/server.js";

const SID = /^[A-Za-z0-9_-]{20}$/;

/** The server closes the whole Engine.IO connection (graceful WebSocket close). */
async function assertConnectionClosed(ws: RawWs): Promise<void> {
  await ws.waitClose();
}

describe("Socket.IO CONNECT", { concurrency: true }, () => {
  it("answers 40 with 40{sid} over polling; the socket id is not the Engine.IO sid", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connected = once<[Socket]>(io, "connection");
      const { sid, reply } = await connectPolling(raw);
      const data = connectData(reply);
      assert.deepEqual(Object.keys(data), ["sid"]);
      assert.match(String(data["sid"]), SID);
      assert.notEqual(data["sid"], sid);
      const [socket] = await connected;
      assert.equal(socket.id, data["sid"]);
    });
  });

  it("answers 40 with 40{sid} over WebSocket", async () => {
    await withServer({}, async ({ raw }) => {
      const { ws, open, reply } = await connectWs(raw);
      try {
        const data = connectData(reply);
        assert.match(String(data["sid"]), SID);
        assert.notEqual(data["sid"], open.sid);
      } finally {
        ws.terminate();
      }
    });
  });

  it("answers 40/admin, with 40/admin,{sid}", async () => {
    await withServer({}, async ({ io, raw }) => {
      const admin = once<[Socket]>(io.of("/admin"), "connection");
      const { ws, reply } = await connectWs(raw, "40/admin,");
      try {
        const data = connectData(reply, "/admin");
        const [socket] = await admin;
        assert.equal(socket.id, data["sid"]);
        assert.equal(socket.nsp.name, "/admin");
      } finally {
        ws.terminate();
      }
    });
  });

  it("multiplexes namespaces on one connection, each with its own socket id", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.of("/admin");
      const { ws, reply } = await connectWs(raw);
      try {
        const main = connectData(reply);
        ws.send("40/admin,");
        const admin = connectData(await ws.nextText(), "/admin");
        assert.notEqual(main["sid"], admin["sid"]);
        assert.equal(io.of("/admin").sockets.size, 1);
        assert.equal(io.sockets.sockets.size, 1);
      } finally {
        ws.terminate();
      }
    });
  });

  it("does not require the main namespace: a connection may join only /admin", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.of("/admin");
      const { ws, reply } = await connectWs(raw, "40/admin,");
      try {
        connectData(reply, "/admin");
        assert.equal(io.sockets.sockets.size, 0);
      } finally {
        ws.terminate();
      }
    });
  });

  it("refuses an unknown namespace with 44/nope,{message:Invalid namespace} and keeps the connection", async () => {
    await withServer({}, async ({ raw }) => {
      const { ws, reply } = await connectWs(raw, "40/nope,");
      try {
        assert.equal(reply, '44/nope,{"message":"Invalid namespace"}');
        ws.send("40");
        connectData(await ws.nextText());
      } finally {
        ws.terminate();
      }
    });
  });

  it("hands the CONNECT payload to socket.handshake.auth", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connected = once<[Socket]>(io, "connection");
      const { ws } = await connectWs(raw, '40{"token":"123","n":[1,2]}');
      try {
        const [socket] = await connected;
        assert.deepEqual({ ...socket.handshake.auth }, { token: "123", n: [1, 2] });
      } finally {
        ws.terminate();
      }
    });
  });

  it("gives an empty auth object without a CONNECT payload, and the query of the first request", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connected = once<[Socket]>(io, "connection");
      const ws = await raw.ws({ foo: "bar" });
      try {
        await readOpen(ws);
        ws.send("40");
        const [socket] = await connected;
        assert.deepEqual({ ...socket.handshake.auth }, {});
        assert.equal(socket.handshake.query["foo"], "bar");
      } finally {
        ws.terminate();
      }
    });
  });

  it("answers a middleware refusal with 44{message,data}", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.use((_socket, next) => next(Object.assign(new Error("not authorized"), { data: { content: "retry later" } })));
      const { ws, reply } = await connectWs(raw);
      try {
        assert.equal(reply, '44{"message":"not authorized","data":{"content":"retry later"}}');
      } finally {
        ws.terminate();
      }
    });
  });

  it("answers a namespace middleware refusal with 44/admin,{message}", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.of("/admin").use((_socket, next) => next(new Error("nope")));
      const { ws, reply } = await connectWs(raw, "40/admin,");
      try {
        assert.equal(reply, '44/admin,{"message":"nope"}');
      } finally {
        ws.terminate();
      }
    });
  });

  // (Digits right after the type would be an ack id, so numbers are not a test vector here.)
  for (const payload of ['"a string"', "true", "[1,2]", "null"]) {
    it(`closes the connection on a CONNECT payload that is not an object: 40${payload}`, async () => {
      await withServer({}, async ({ raw }) => {
        const ws = await raw.ws();
        try {
          await readOpen(ws);
          ws.send("40" + payload);
          await assertConnectionClosed(ws);
          assert.deepEqual(ws.drain(), []);
        } finally {
          ws.terminate();
        }
      });
    });
  }

  it("closes the connection on an EVENT before any CONNECT", async () => {
    await withServer({}, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        ws.send('42["hello"]');
        await assertConnectionClosed(ws);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the connection on an EVENT before CONNECT over polling (next GET: 6\\x1e1 or 1, then 400)", async () => {
    await withServer({}, async ({ raw }) => {
      const { sid } = await raw.handshake();
      await raw.pushOk(sid, '42["hello"]');
      await raw.waitSessionGone(sid);
    });
  });

  it("closes the connection on a second CONNECT for the same namespace", async () => {
    await withServer({}, async ({ io, raw }) => {
      const { ws, reply } = await connectWs(raw);
      try {
        connectData(reply);
        const disconnected = once<[string]>(await waitForSocket(io), "disconnect");
        ws.send("40");
        await assertConnectionClosed(ws);
        // (The reason is "forced close" on socket.io over WebSocket, "forced server close" on
        // omnio; not visible on the wire.)
        await disconnected;
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the connection on an EVENT for a namespace the client has not joined", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.of("/admin");
      const { ws } = await connectWs(raw);
      try {
        ws.send('42/admin,["hello"]');
        await assertConnectionClosed(ws);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the connection on a CONNECT_ERROR packet from the client", async () => {
    await withServer({}, async ({ raw }) => {
      const { ws } = await connectWs(raw);
      try {
        ws.send('44{"message":"x"}');
        await assertConnectionClosed(ws);
      } finally {
        ws.terminate();
      }
    });
  });

  it("41 disconnects the socket (client namespace disconnect) and keeps the Engine.IO connection", async () => {
    await withServer({ pingInterval: 300, pingTimeout: 5000 }, async ({ io, raw }) => {
      const { ws } = await connectWs(raw);
      try {
        const socket = await waitForSocket(io);
        const disconnected = once<[string]>(socket, "disconnect");
        ws.send("41");
        assert.equal((await disconnected)[0], "client namespace disconnect");
        // No answer to a DISCONNECT (only pings follow); the connection lives on and can join again.
        assert.equal(await ws.next(), "2");
        ws.send("3");
        assert.ok(ws.isOpen);
        ws.send("40");
        connectData(String(await ws.nextNonPing()));
        // An EVENT for a namespace left earlier and not rejoined closes the connection.
        ws.send("41");
        await waitUntil(() => io.sockets.sockets.size === 0, "the socket left");
        ws.send('42["late"]');
        await assertConnectionClosed(ws);
      } finally {
        ws.terminate();
      }
    });
  });

  it("server socket.disconnect() sends 41 and keeps the Engine.IO connection", async () => {
    await withServer({}, async ({ io, raw }) => {
      const { ws } = await connectWs(raw);
      try {
        const socket = await waitForSocket(io);
        const disconnected = once<[string]>(socket, "disconnect");
        socket.disconnect();
        assert.equal(await ws.nextText(), "41");
        assert.equal((await disconnected)[0], "server namespace disconnect");
        ws.send("40");
        connectData(await ws.nextText());
      } finally {
        ws.terminate();
      }
    });
  });

  it("server socket.disconnect(true) closes the Engine.IO connection", async () => {
    await withServer({}, async ({ io, raw }) => {
      const { ws } = await connectWs(raw);
      try {
        (await waitForSocket(io)).disconnect(true);
        assert.equal(await ws.nextText(), "41");
        await assertConnectionClosed(ws);
      } finally {
        ws.terminate();
      }
    });
  });

  it("connectTimeout closes a connection that never sends CONNECT", async () => {
    await withServer({ connectTimeout: 200 }, async ({ io, raw }) => {
      // Server-side instants: the timer starts with the connection.
      const closed = once<[EngineSocket]>(io.engine, "connection").then(([conn]) => {
        const openedAt = Date.now();
        return once<[string]>(conn, "close", 5000).then(([reason]) => ({ reason, after: Date.now() - openedAt }));
      });
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        await ws.waitClose(200 + 5000);
        const { reason, after } = await closed;
        assert.equal(reason, "forced close");
        assert.ok(after >= 200 * 0.8, `closed ${after} ms after the connection`);
      } finally {
        ws.terminate();
      }
    });
  });

  it("connectTimeout spares a connection that joined a namespace", async () => {
    // Long enough for the CONNECT to arrive in time on a loaded machine.
    await withServer({ connectTimeout: 2000 }, async ({ raw }) => {
      const { ws } = await connectWs(raw);
      try {
        await new Promise((r) => setTimeout(r, 2500));
        assert.ok(ws.isOpen);
      } finally {
        ws.terminate();
      }
    });
  });

  it("connectTimeout still closes a connection whose only CONNECT was refused", async () => {
    await withServer({ connectTimeout: 1500 }, async ({ raw }) => {
      const { ws, reply } = await connectWs(raw, "40/nope,");
      try {
        assert.equal(reply, '44/nope,{"message":"Invalid namespace"}');
        await ws.waitClose(1500 + 5000);
      } finally {
        ws.terminate();
      }
    });
  });
});

describe("Socket.IO connection state recovery", { concurrency: true }, () => {
  const csr = { connectionStateRecovery: {} };

  it("adds a pid to the CONNECT answer only when enabled", async () => {
    await withServer(csr, async ({ raw }) => {
      const { ws, reply } = await connectWs(raw);
      try {
        const data = connectData(reply);
        assert.deepEqual(Object.keys(data), ["sid", "pid"]);
        assert.match(String(data["pid"]), SID);
        assert.notEqual(data["pid"], data["sid"]);
      } finally {
        ws.terminate();
      }
    });
  });

  it("appends an offset to broadcasts and to plain emits, not to acked emits", async () => {
    await withServer(csr, async ({ io, raw }) => {
      const { ws } = await connectWs(raw);
      try {
        const socket = await waitForSocket(io);
        io.emit("broadcast", 1);
        const [ev, one, offset] = JSON.parse((await ws.nextText()).slice(2)) as [string, number, string];
        assert.equal(ev, "broadcast");
        assert.equal(one, 1);
        assert.equal(typeof offset, "string");
        socket.emit("direct", "x");
        const direct = JSON.parse((await ws.nextText()).slice(2)) as unknown[];
        assert.equal(direct.length, 3);
        assert.equal(typeof direct[2], "string");
        assert.notEqual(direct[2], offset);
        socket.emit("acked", "y", () => undefined);
        assert.equal(await ws.nextText(), '420["acked","y"]');
        io.volatile.emit("volatile", 2);
        assert.equal(await ws.nextText(), '42["volatile",2]');
      } finally {
        ws.terminate();
      }
    });
  });

  it("appends the offset after the placeholders of a binary broadcast", async () => {
    await withServer(csr, async ({ io, raw }) => {
      const { ws } = await connectWs(raw);
      try {
        await waitForSocket(io);
        io.emit("bin", Buffer.from([1, 2, 3]));
        const text = await ws.nextText();
        assert.match(text, /^451-\["bin",\{"_placeholder":true,"num":0\},"[^"]+"\]$/);
        assert.deepEqual([...(await ws.next())], [1, 2, 3]);
      } finally {
        ws.terminate();
      }
    });
  });

  it("restores id and missed packets for a client that reconnects with pid and offset", async () => {
    await withServer(csr, async ({ io, raw }) => {
      const first = await connectWs(raw);
      const { sid, pid } = connectData(first.reply) as { sid: string; pid: string };
      await waitForSocket(io);
      io.emit("before", 1);
      const before = JSON.parse((await first.ws.nextText()).slice(2)) as [string, number, string];
      const offset = before[2];
      const gone = once(io.sockets.sockets.get(sid)!, "disconnect");
      first.ws.terminate();
      await gone;
      io.emit("missed", 2);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        ws.send("40" + JSON.stringify({ pid, offset }));
        // Missed packets are replayed before the CONNECT answer.
        const missed = JSON.parse((await ws.nextText()).slice(2)) as [string, number, string];
        assert.deepEqual(missed.slice(0, 2), ["missed", 2]);
        assert.deepEqual(connectData(await ws.nextText()), { sid, pid });
      } finally {
        ws.terminate();
      }
    });
  });
});

/** The first (or next) socket of the main namespace. */
async function waitForSocket(io: { sockets: { sockets: Map<string, Socket> } }): Promise<Socket> {
  await waitUntil(() => io.sockets.sockets.size > 0, "a socket connected");
  return [...io.sockets.sockets.values()][0]!;
}
