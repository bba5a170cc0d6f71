/**
 * Engine.IO v4 over WebSocket (protocol v4 "WebSocket"; reference §2.1, §7.9): one packet
 * per frame, text frames with the type prefix, binary frames as raw bytes, `maxPayload`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket, Server } from "@omnio/server";
import { readOpen, waitUntil } from "./support/raw.js";
import { once } from "./support/sio.js";
import { withServer } from "./support/server.js";

function nextConn(io: Server): Promise<EngineSocket> {
  return once<[EngineSocket]>(io.engine, "connection").then(([c]) => c);
}

describe("Engine.IO WebSocket transport", { concurrency: true }, () => {
  it("sends each message as its own text frame 4<data>", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.engine.on("connection", (conn: EngineSocket) => {
        conn.send("hello");
        conn.send("world");
      });
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.next(), "4hello");
        assert.equal(await ws.next(), "4world");
      } finally {
        ws.terminate();
      }
    });
  });

  it("sends binary as a binary frame of the raw bytes (no type prefix)", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.engine.on("connection", (conn: EngineSocket) => conn.send(Buffer.from([1, 2, 3, 4])));
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const frame = await ws.next();
        assert.ok(Buffer.isBuffer(frame));
        assert.deepEqual([...frame], [1, 2, 3, 4]);
      } finally {
        ws.terminate();
      }
    });
  });

  it("sends binary as a b<base64> text frame when the client asked for b64=1", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.engine.on("connection", (conn: EngineSocket) => conn.send(Buffer.from([1, 2, 3, 4])));
      const ws = await raw.ws({ b64: "1" });
      try {
        await readOpen(ws);
        assert.equal(await ws.next(), "bAQIDBA==");
      } finally {
        ws.terminate();
      }
    });
  });

  it("decodes text frames as 4<data> messages and binary frames as raw bytes", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const received: unknown[] = [];
        (await connP).on("message", (data) => received.push(data));
        // What the Socket.IO layer accepts: a CONNECT, then a binary event and its attachment.
        ws.send("40");
        assert.match(await ws.nextText(), /^40\{"sid":/);
        ws.send('451-["bin",{"_placeholder":true,"num":0}]');
        ws.send(Buffer.from([5, 6, 7]));
        await waitUntil(() => received.length === 3, "three messages arrived");
        assert.equal(received[0], "0");
        assert.equal(received[1], '51-["bin",{"_placeholder":true,"num":0}]');
        assert.ok(received[2] instanceof Uint8Array);
        assert.deepEqual([...received[2]], [5, 6, 7]);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes with 1009 a message larger than maxHttpBufferSize, and ends the session", async () => {
    await withServer({ maxHttpBufferSize: 100 }, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const closed = once<[string]>(await connP, "close");
        ws.send("4" + "a".repeat(200));
        assert.equal((await ws.waitClose()).code, 1009);
        await closed;
      } finally {
        ws.terminate();
      }
    });
  });

  it("accepts a message of exactly maxHttpBufferSize bytes", async () => {
    await withServer({ maxHttpBufferSize: 100 }, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const got = once<[string]>(await connP, "message");
        ws.send("4" + "a".repeat(99));
        assert.equal((await got)[0], "a".repeat(99));
      } finally {
        ws.terminate();
      }
    });
  });

  it("ends the session with 'transport close' when the client closes the WebSocket", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      await readOpen(ws);
      const closed = once<[string]>(await connP, "close");
      ws.close();
      assert.equal((await closed)[0], "transport close");
    });
  });

  it("closes the WebSocket on a server-side close, without a close packet", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const conn = await connP;
        conn.send("last");
        conn.close();
        await ws.waitClose();
        assert.deepEqual(ws.drain(), ["4last"]);
      } finally {
        ws.terminate();
      }
    });
  });

  it("closes the session on an undecodable frame (parse error)", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        const closed = once<[string]>(await connP, "close");
        ws.send("x");
        assert.equal((await closed)[0], "parse error");
        await ws.waitClose();
      } finally {
        ws.terminate();
      }
    });
  });
});
