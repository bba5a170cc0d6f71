/**
 * Engine.IO v3 / Socket.IO v4 for 2.x clients, with `allowEIO3: true` (reference §2.2,
 * §2.4): length-prefixed payloads, the implicit `40`, client-initiated heartbeat, v3 binary
 * encodings.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket, Server, Socket } from "@omnio/server";
import { readOpen, sleep, waitUntil, withTimeout, type OpenData, type RawEngine } from "./support/raw.js";
import { nextConnection, once } from "./support/sio.js";
import { withServer } from "./support/server.js";

const v3 = { EIO: "3" };

function nextConn(io: Server): Promise<EngineSocket> {
  return once<[EngineSocket]>(io.engine, "connection").then(([c]) => c);
}

/** Splits a v3 text payload `<len>:<packet>…` (len counts UTF-16 units). */
function v3Packets(body: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(":", i);
    assert.notEqual(colon, -1, `malformed v3 payload: ${body}`);
    const n = Number(body.slice(i, colon));
    out.push(body.slice(colon + 1, colon + 1 + n));
    i = colon + 1 + n;
  }
  return out;
}

/** v3 polling handshake: returns the sid and the open data. */
async function handshakeV3(
  raw: RawEngine,
  query: Record<string, string> = {},
): Promise<{ sid: string; open: OpenData; body: string }> {
  const res = await raw.get(query);
  assert.equal(res.status, 200, res.body);
  const [first] = v3Packets(res.body);
  assert.ok(first !== undefined && first.startsWith("0"), res.body);
  const open = JSON.parse(first.slice(1)) as OpenData;
  return { sid: open.sid, open, body: res.body };
}

describe("Engine.IO v3 (allowEIO3)", { concurrency: true }, () => {
  const opts = { allowEIO3: true };

  it("answers the polling handshake with a length-prefixed open packet", async () => {
    await withServer(opts, async ({ raw: raw4 }) => {
      const raw = raw4.with(v3);
      const res = await raw.get();
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "text/plain; charset=UTF-8");
      const open = res.body.slice(res.body.indexOf(":") + 1);
      const { sid } = JSON.parse(open.slice(1)) as OpenData;
      assert.equal(
        res.body,
        `${open.length}:0` +
          JSON.stringify({
            sid,
            upgrades: ["websocket"],
            pingInterval: 25000,
            pingTimeout: 20000,
            maxPayload: 1000000,
          }),
      );
    });
  });

  it("sends the implicit Socket.IO CONNECT 40 in the next GET (2:40)", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connected = once<[Socket]>(io, "connection");
      const { sid } = await handshakeV3(raw);
      const res = await raw.get({ sid });
      assert.equal(res.body, "2:40");
      await connected;
    });
  });

  it("answers a client ping 2 with a pong 3, echoing the data", async () => {
    await withServer(opts, async ({ raw: raw4 }) => {
      const raw = raw4.with(v3);
      const { sid } = await handshakeV3(raw);
      assert.equal((await raw.get({ sid })).body, "2:40");
      await raw.pushOk(sid, "1:2");
      assert.equal((await raw.get({ sid })).body, "1:3");
      // The pong carries no data, even when the ping did.
      await raw.pushOk(sid, "6:2probe");
      assert.equal((await raw.get({ sid })).body, "1:3");
    });
  });

  it("never pings first, and closes a session whose client does not ping within pingInterval + pingTimeout", async () => {
    await withServer({ ...opts, pingInterval: 300, pingTimeout: 200 }, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      // Measured from the server's own instants (a busy test process may read a response late).
      const opened = nextConnection(io);
      const { sid } = await handshakeV3(raw);
      const { closed, openedAt } = await opened;
      const { reason, closedAt } = await withTimeout(closed, 500 + 1000 + 1000, "the close");
      const elapsed = closedAt - openedAt;
      assert.equal(reason, "ping timeout");
      assert.ok(elapsed >= 500 * 0.8 && elapsed <= 500 + 1000, `closed after ${elapsed} ms`);
      const after = await raw.get({ sid });
      assert.equal(after.status, 400);
    });
  });

  it("keeps a session whose client pings regularly", async () => {
    // pingInterval + pingTimeout = 5.3 s between pings: ample for a loaded machine.
    await withServer({ ...opts, pingInterval: 300, pingTimeout: 5000 }, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      const conn = await connP;
      let closed = false;
      conn.on("close", () => (closed = true));
      assert.equal((await raw.get({ sid })).body, "2:40");
      for (let i = 0; i < 6; i++) {
        await raw.pushOk(sid, "1:2");
        assert.equal((await raw.get({ sid })).body, "1:3");
        await sleep(150);
      }
      assert.equal(closed, false);
    });
  });

  it("closes the session when a v3 client sends a pong (invalid heartbeat direction)", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      const closed = once<[string]>(await connP, "close");
      await raw.pushOk(sid, "1:3");
      assert.equal((await closed)[0], "transport error");
    });
  });

  it("prefixes each packet with its length in UTF-16 units", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      assert.equal((await raw.get({ sid })).body, "2:40");
      const conn = await connP;
      conn.send("hello");
      conn.send("é");
      conn.send("😀");
      assert.equal((await raw.get({ sid })).body, "6:4hello2:4é3:4😀");
    });
  });

  it("decodes a length-prefixed POST body", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connected = once<[Socket]>(io, "connection");
      const { sid } = await handshakeV3(raw);
      const [socket] = await connected;
      const got: unknown[] = [];
      socket.on("a", (v: unknown) => got.push(v));
      await raw.pushOk(sid, '11:42["a","é"]9:42["a",2]');
      await waitUntil(() => got.length === 2, "two events");
      assert.deepEqual(got, ["é", 2]);
    });
  });

  it("answers a malformed v3 payload with 200 ok and closes the session (parse error)", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      const closed = once<[string]>(await connP, "close");
      const res = await raw.push(sid, "abc");
      assert.equal(res.status, 200);
      assert.equal(res.body, "ok");
      assert.equal((await closed)[0], "parse error");
    });
  });

  it("sends binary as a v3 binary payload (application/octet-stream) without b64", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      assert.equal((await raw.get({ sid })).body, "2:40");
      const conn = await connP;
      conn.send("hello");
      conn.send(Buffer.from([1, 2, 3, 4]));
      const res = await raw.get({ sid });
      assert.equal(res.headers["content-type"], "application/octet-stream");
      // 0x00 string / 0x01 binary, the length in decimal digits (one byte each), 0xff, the
      // packet; the binary packet starts with its type byte 4.
      assert.equal(res.bytes.toString("hex"), "0006ff3468656c6c6f" + "0105ff0401020304");
    });
  });

  it("sends binary as b4<base64> text with b64=1", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with({ ...v3, b64: "1" });
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      assert.equal((await raw.get({ sid })).body, "2:40");
      (await connP).send(Buffer.from([1, 2, 3, 4]));
      const res = await raw.get({ sid });
      assert.equal(res.headers["content-type"], "text/plain; charset=UTF-8");
      assert.equal(res.body, "10:b4AQIDBA==");
    });
  });

  it("opens a v3 WebSocket session: open frame, then 40; pings answered; binary frames with a type byte", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        const open = await readOpen(ws);
        assert.deepEqual(open.upgrades, []);
        assert.equal(await ws.nextText(), "40");
        ws.send("2");
        assert.equal(await ws.nextText(), "3");
        (await connP).send(Buffer.from([1, 2, 3]));
        const frame = await ws.next();
        assert.ok(Buffer.isBuffer(frame));
        assert.equal(frame.toString("hex"), "04010203");
      } finally {
        ws.terminate();
      }
    });
  });

  it("connects a namespace with a v4 CONNECT carrying the query: 40/admin?token=abc, → 40/admin,", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const admin = once<[Socket]>(io.of("/admin"), "connection");
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.nextText(), "40");
        ws.send("40/admin?token=abc,");
        assert.equal(await ws.nextText(), "40/admin,");
        const [socket] = await admin;
        assert.deepEqual({ ...socket.handshake.auth }, { token: "abc" });
      } finally {
        ws.terminate();
      }
    });
  });

  it("refuses an unknown namespace with 44/nope,{message} (an object, even for v3 clients)", async () => {
    await withServer(opts, async ({ raw: raw4 }) => {
      const raw = raw4.with(v3);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.nextText(), "40");
        ws.send("40/nope,");
        assert.equal(await ws.nextText(), '44/nope,{"message":"Invalid namespace"}');
      } finally {
        ws.terminate();
      }
    });
  });

  it('answers a middleware refusal with a plain-string CONNECT_ERROR: 44/admin,"nope"', async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      io.of("/admin").use((_socket, next) => next(new Error("nope")));
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.nextText(), "40");
        ws.send("40/admin,");
        assert.equal(await ws.nextText(), '44/admin,"nope"');
      } finally {
        ws.terminate();
      }
    });
  });

  it("upgrades a v3 polling session to WebSocket", async () => {
    await withServer(opts, async ({ io, raw: raw4 }) => {
      const raw = raw4.with(v3);
      const connP = nextConn(io);
      const { sid } = await handshakeV3(raw);
      const conn = await connP;
      assert.equal((await raw.get({ sid })).body, "2:40");
      const ws = await raw.ws({ sid });
      try {
        ws.send("2probe");
        assert.equal(await ws.nextText(), "3probe");
        const upgraded = once(conn, "upgrade");
        ws.send("5");
        await upgraded;
        conn.send("hi");
        assert.equal(await ws.nextText(), "4hi");
      } finally {
        ws.terminate();
      }
    });
  });

  it("treats a missing or non-numeric EIO as v3 when allowEIO3 is on", async () => {
    await withServer(opts, async ({ raw: raw4 }) => {
      const raw = raw4.with(v3);
      for (const EIO of [undefined, "abc"]) {
        const res = await raw.get({ EIO });
        assert.equal(res.status, 200);
        assert.match(res.body, /^\d+:0\{/);
      }
    });
  });
});
