/**
 * Attach forms over TLS (reference §1.1: `new Server(httpsServer | http2Server)`): an
 * `https.createServer` and an `http2.createSecureServer({ allowHTTP1: true })` compat server,
 * with a self-signed certificate made by the `openssl` CLI (the tests skip loudly without it).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpsServer } from "node:https";
import { connect as http2Connect, createSecureServer, type ClientHttp2Session } from "node:http2";
import { Server, type Socket as ServerSocket } from "@omnio/server";
import { echo, listen, roundTrip, selfSignedCertificate, TRANSPORTS } from "./support/attach.js";
import { nextConnection } from "./support/interop.js";

const certificate = selfSignedCertificate();
const skip = certificate ? false : "no `openssl` CLI to make a self-signed certificate";

/** One request on an HTTP/2 session: resolves with the status and the body as text. */
function h2Request(
  session: ClientHttp2Session,
  method: "GET" | "POST",
  path: string,
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ":method": method, ":path": path };
    if (body !== undefined) headers["content-type"] = "text/plain;charset=UTF-8";
    const stream = session.request(headers, { endStream: body === undefined });
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      responseHeaders = h;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve({ status, body: Buffer.concat(chunks).toString("utf8"), headers: responseHeaders }));
    stream.on("error", reject);
    if (body !== undefined) stream.end(body);
  });
}

describe("attach: TLS servers", { concurrency: true, skip }, () => {
  for (const transport of TRANSPORTS) {
    test(`[${transport}] https.createServer: round trip, and handshake.secure is true`, async () => {
      const https = createHttpsServer({ key: certificate!.key, cert: certificate!.cert });
      const io = new Server(https);
      try {
        echo(io);
        const port = await listen(https);
        const connection = nextConnection(io);
        assert.equal(await roundTrip(`https://127.0.0.1:${port}`, transport, { rejectUnauthorized: false }), transport);
        const socket: ServerSocket = await connection;
        assert.equal(socket.handshake.secure, true);
      } finally {
        https.closeAllConnections();
        await io.close();
      }
    });
  }

  test("http2.createSecureServer({ allowHTTP1 }): long-polling over HTTP/2 with raw Engine.IO requests", async () => {
    const h2 = createSecureServer({ allowHTTP1: true, key: certificate!.key, cert: certificate!.cert });
    const io = new Server(h2);
    let session: ClientHttp2Session | undefined;
    try {
      const connection = nextConnection(io);
      echo(io);
      const port = await listen(h2);
      session = http2Connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
      const open = await h2Request(session, "GET", "/socket.io/?EIO=4&transport=polling");
      assert.equal(open.status, 200);
      assert.match(open.body, /^0\{"sid":"[^"]+"/);
      const { sid } = JSON.parse(open.body.slice(1)) as { sid: string };
      const q = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;

      const connect = await h2Request(session, "POST", q, "40");
      assert.deepEqual([connect.status, connect.body], [200, "ok"]);
      const connected = await h2Request(session, "GET", q);
      assert.match(connected.body, /^40\{"sid":"[^"]+"\}$/);
      const socket = await connection;
      // socket.io 4.8.4 says `false` here: it reads `req.connection.encrypted`, which the HTTP/2
      // compat request's socket proxy does not forward. The connection is TLS: omnio says so.
      assert.equal(socket.handshake.secure, true);

      const emit = await h2Request(session, "POST", q, '421["echo",{"over":"h2"}]');
      assert.deepEqual([emit.status, emit.body], [200, "ok"]);
      const ack = await h2Request(session, "GET", q);
      assert.equal(ack.body, '431[{"over":"h2"}]');

      // A long-poll and a POST in flight together on one HTTP/2 session: the POSTed event's
      // handler emits, which answers the long-poll (or waits for it, if it is not there yet).
      socket.once("push-me", (n: number) => socket.emit("pushed", n));
      const poll = h2Request(session, "GET", q);
      const post = await h2Request(session, "POST", q, '42["push-me",7]');
      assert.deepEqual([post.status, post.body], [200, "ok"]);
      assert.equal((await poll).body, '42["pushed",7]');

      const close = await h2Request(session, "POST", q, "1");
      assert.equal(close.status, 200);
      const unknown = await h2Request(session, "GET", q);
      assert.equal(unknown.status, 400);
      assert.equal(unknown.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(unknown.body), { code: 1, message: "Session ID unknown" });
    } finally {
      session?.close();
      await io.close();
    }
  });

  test("http2.createSecureServer({ allowHTTP1 }): the official client over HTTP/1.1 (websocket and polling)", async () => {
    const h2 = createSecureServer({ allowHTTP1: true, key: certificate!.key, cert: certificate!.cert });
    const io = new Server(h2);
    try {
      echo(io);
      const port = await listen(h2);
      const url = `https://127.0.0.1:${port}`;
      assert.equal(await roundTrip(url, "websocket", { rejectUnauthorized: false }), "websocket");
      assert.equal(await roundTrip(url, "polling", { rejectUnauthorized: false }), "polling");
    } finally {
      await io.close();
    }
  });
});
