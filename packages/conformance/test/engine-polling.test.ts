/**
 * Engine.IO v4 HTTP long-polling (protocol v4 "HTTP long-polling"; reference §2.1,
 * §7.3–7.4): payload framing, POST answers, one GET and one POST at a time, the close
 * rules and refused bodies.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineSocket, Server } from "@omnio/server";
import type { Server as HttpServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { SEP, sleep, waitUntil } from "./support/raw.js";
import { once } from "./support/sio.js";
import { withServer } from "./support/server.js";

/** Resolves once the server holds a GET of `conn` (its polling transport is writable). */
function getPending(conn: EngineSocket): Promise<void> {
  return waitUntil(() => conn.transport.writable, "the server holds the GET");
}

/** Resolves once the HTTP server received a request with `method` (and the engine took it). */
async function requestReceived(http: HttpServer, method: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const on = (req: { method?: string }): void => {
      if (req.method !== method) return;
      http.off("request", on);
      resolve();
    };
    http.on("request", on);
  });
  await sleep(20);
}

/** The next Engine.IO connection of `io`. */
function nextConn(io: Server): Promise<EngineSocket> {
  return once<[EngineSocket]>(io.engine, "connection").then(([c]) => c);
}

describe("Engine.IO polling", { concurrency: true }, () => {
  it("joins the packets of one response with \\x1e and holds them for the next GET", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.engine.on("connection", (conn: EngineSocket) => {
        conn.send("hello");
        conn.send("world");
      });
      const { sid, rest } = await raw.handshake();
      // The open packet leaves alone at once; the rest waits for the next GET.
      assert.deepEqual(rest, []);
      const res = await raw.poll(sid);
      assert.equal(res.status, 200);
      assert.equal(res.body, "4hello" + SEP + "4world");
      assert.equal(res.headers["content-type"], "text/plain; charset=UTF-8");
      assert.equal(res.headers["content-length"], String(res.bytes.length));
      assert.equal(res.headers["cache-control"], "no-store");
    });
  });

  it("sends binary as b<base64> among text packets", async () => {
    await withServer({}, async ({ io, raw }) => {
      io.engine.on("connection", (conn: EngineSocket) => {
        conn.send("hello");
        conn.send(Buffer.from([1, 2, 3, 4]));
      });
      const { sid } = await raw.handshake();
      assert.equal((await raw.poll(sid)).body, "4hello" + SEP + "bAQIDBA==");
    });
  });

  it("answers a long-poll as soon as a packet is sent", async () => {
    await withServer({}, async ({ io, raw }) => {
      const conn = nextConn(io);
      const { sid } = await raw.handshake();
      const pending = raw.startPoll(sid);
      const c = await conn;
      await getPending(c);
      c.send("late");
      assert.equal((await pending.response).body, "4late");
    });
  });

  it("answers a POST with 200 ok, text/html, Content-Length 2, and decodes every packet of it", async () => {
    await withServer({}, async ({ io, raw }) => {
      const received: unknown[] = [];
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      conn.on("message", (data) => received.push(data));
      // Messages the Socket.IO layer accepts: a CONNECT first, then a binary event.
      const res = await raw.push(sid, "40");
      assert.equal(res.status, 200);
      assert.equal(res.body, "ok");
      assert.equal(res.headers["content-type"], "text/html");
      assert.equal(res.headers["content-length"], "2");
      assert.equal(res.headers["cache-control"], "no-store");
      assert.match((await raw.poll(sid)).body, /^40\{"sid":/);
      const event = '51-["a",{"_placeholder":true,"num":0}]';
      await raw.pushOk(sid, ["4" + event, "bAQIDBA==", '42["b"]']);
      await waitUntil(() => received.length === 4, "four messages arrived");
      assert.equal(received[0], "0");
      assert.equal(received[1], event);
      assert.ok(received[2] instanceof Uint8Array);
      assert.deepEqual([...received[2]], [1, 2, 3, 4]);
      assert.equal(received[3], '2["b"]');
    });
  });

  it("keeps the session across POSTs of noops", async () => {
    await withServer({}, async ({ raw }) => {
      const { sid } = await raw.handshake();
      for (let i = 0; i < 3; i++) await raw.pushOk(sid, "6");
      await raw.pushOk(sid, "40");
      assert.match((await raw.poll(sid)).body, /^40\{"sid":"[^"]+"\}$/);
    });
  });

  it("refuses a second concurrent GET with 400, closes the session and answers the pending GET with 1", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const closed = once<[string]>(conn, "close");
      const first = raw.startPoll(sid);
      await getPending(conn);
      const second = await raw.poll(sid);
      assert.equal(second.status, 400);
      assert.equal(second.body, "");
      assert.equal((await first.response).body, "1");
      assert.equal((await closed)[0], "transport error");
      await raw.waitSessionGone(sid);
    });
  });

  it("refuses a second concurrent POST with 400 and closes the session", async () => {
    await withServer({}, async ({ io, raw, http }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const closed = once<[string]>(conn, "close");
      // A POST whose body is still arriving.
      const received = requestReceived(http, "POST");
      const slow = raw.request(
        { sid },
        { method: "POST", body: "4hel", hold: true, headers: { "Content-Length": "100" } },
      );
      slow.response.catch(() => undefined);
      await received;
      const second = await raw.push(sid, "4hello");
      assert.equal(second.status, 400);
      assert.equal(second.body, "");
      assert.equal((await closed)[0], "transport error");
      slow.abort();
      await raw.waitSessionGone(sid);
    });
  });

  it("closes the session when the client aborts a pending GET", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const closed = once<[string]>(conn, "close");
      const pending = raw.startPoll(sid);
      pending.response.catch(() => undefined);
      await getPending(conn);
      pending.abort();
      assert.equal((await closed)[0], "transport error");
      await raw.waitSessionGone(sid);
    });
  });

  it("a client close packet via POST ends the pending GET with 6 and removes the session", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const closed = once<[string]>(conn, "close");
      const pending = raw.startPoll(sid);
      await getPending(conn);
      await raw.pushOk(sid, "1");
      assert.equal((await pending.response).body, "6");
      assert.equal((await closed)[0], "transport close");
      const after = await raw.poll(sid);
      assert.equal(after.status, 400);
      assert.equal(after.body, '{"code":1,"message":"Session ID unknown"}');
    });
  });

  it("a server-side close answers the pending GET with 1", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const pending = raw.startPoll(sid);
      await getPending(conn);
      conn.close();
      assert.equal((await pending.response).body, "1");
      await raw.waitSessionGone(sid);
    });
  });

  it("a server-side close with no pending GET answers the next GET with 6\\x1e1", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      (await connP).close();
      const res = await raw.poll(sid);
      assert.equal(res.status, 200);
      assert.equal(res.body, "6" + SEP + "1");
      const after = await raw.poll(sid);
      assert.equal(after.body, '{"code":1,"message":"Session ID unknown"}');
    });
  });

  it("a server-side close delivers the buffered packets before the close packet", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      conn.send("bye");
      conn.close();
      assert.equal((await raw.poll(sid)).body, "4bye");
      assert.equal((await raw.poll(sid)).body, "6" + SEP + "1");
    });
  });

  it("refuses a POST with Content-Type application/octet-stream on EIO4 with 400 and closes the session", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const closed = once<[string]>(await connP, "close");
      const res = await raw.push(sid, Buffer.from([0x34, 0x61]), { "Content-Type": "application/octet-stream" });
      assert.equal(res.status, 400);
      assert.equal(res.body, "");
      assert.equal((await closed)[0], "transport error");
      await raw.waitSessionGone(sid);
    });
  });

  it("refuses a body larger than maxHttpBufferSize with 413 and closes the session", async () => {
    await withServer({ maxHttpBufferSize: 100 }, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const closed = once<[string]>(await connP, "close");
      const res = await raw.push(sid, "4" + "a".repeat(200));
      assert.equal(res.status, 413);
      assert.equal(res.body, "");
      // engine.io 6.6.13 (socket.io 4.8.4) closes the session on 413; earlier versions did not.
      assert.equal((await closed)[0], "transport error");
      await raw.waitSessionGone(sid);
    });
  });

  it("accepts a body of exactly maxHttpBufferSize bytes", async () => {
    await withServer({ maxHttpBufferSize: 100 }, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      const got = once<[string]>(conn, "message");
      await raw.pushOk(sid, "4" + "a".repeat(99));
      assert.equal((await got)[0], "a".repeat(99));
    });
  });

  it("answers an undecodable payload with 200 ok but closes the session (parse error)", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const closed = once<[string]>(await connP, "close");
      const res = await raw.push(sid, "abc");
      assert.equal(res.status, 200);
      assert.equal(res.body, "ok");
      assert.equal((await closed)[0], "parse error");
      await raw.waitSessionGone(sid);
    });
  });

  it("compresses a response of at least httpCompression.threshold bytes when the client accepts gzip", async () => {
    await withServer({}, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      const conn = await connP;
      conn.send("x".repeat(2000));
      const big = await raw.request({ sid }, { headers: { "Accept-Encoding": "gzip" } }).response;
      assert.equal(big.headers["content-encoding"], "gzip");
      assert.equal(gunzipSync(big.bytes).toString(), "4" + "x".repeat(2000));
      conn.send("small");
      const small = await raw.request({ sid }, { headers: { "Accept-Encoding": "gzip" } }).response;
      assert.equal(small.headers["content-encoding"], undefined);
      assert.equal(small.body, "4small");
    });
  });

  it("does not compress with httpCompression: false", async () => {
    await withServer({ httpCompression: false }, async ({ io, raw }) => {
      const connP = nextConn(io);
      const { sid } = await raw.handshake();
      (await connP).send("x".repeat(2000));
      const res = await raw.request({ sid }, { headers: { "Accept-Encoding": "gzip" } }).response;
      assert.equal(res.headers["content-encoding"], undefined);
      assert.equal(res.body, "4" + "x".repeat(2000));
    });
  });

  it("adds X-XSS-Protection: 0 for Internet Explorer user agents", async () => {
    await withServer({}, async ({ raw }) => {
      const ie = await raw.get({}, { "User-Agent": "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko" });
      assert.equal(ie.headers["x-xss-protection"], "0");
      const other = await raw.get({}, { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0" });
      assert.equal(other.headers["x-xss-protection"], undefined);
    });
  });

  it("answers the first GET of a new session at once, with only the open packet", async () => {
    await withServer({}, async ({ raw }) => {
      // Held until a packet exists, it would time out here.
      const { rest } = await raw.handshake();
      assert.deepEqual(rest, []);
    });
  });
});
