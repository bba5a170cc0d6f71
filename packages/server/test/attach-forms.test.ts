/**
 * Attach forms (reference §1.1 "Constructor forms", §1.2 `attach`/`listen`/`close`): every way
 * an omnio `Server` gets onto a `node:http` server, each checked with the official client doing
 * a connect + ack round trip over WebSocket and over long-polling.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server as HttpServer } from "node:http";
import { io as ioc } from "socket.io-client";
import { Server } from "@omnio/server";
import { connectError, echo, freePort, listen, roundTrip, TRANSPORTS } from "./support/attach.js";
import { next, nextConnection } from "./support/interop.js";

/** Closes whatever is left: client connections first, so `close()` has nothing to wait for. */
async function shutdown(io: Server, http: HttpServer | undefined = io.httpServer): Promise<void> {
  http?.closeAllConnections();
  await io.close();
}

/** A server answering 404 to every request the engine does not take. */
function notFoundServer(): HttpServer {
  return createServer((_req, res) => {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found here");
  });
}

describe("attach: constructor and attach forms", { concurrency: true }, () => {
  for (const transport of TRANSPORTS) {
    test(`[${transport}] new Server(httpServer)`, async () => {
      const http = createServer();
      const io = new Server(http);
      try {
        echo(io);
        const port = await listen(http);
        assert.equal(io.httpServer, http);
        assert.equal(await roundTrip(`http://127.0.0.1:${port}`, transport), transport);
      } finally {
        await shutdown(io);
      }
    });

    test(`[${transport}] new Server(port) creates a listening HTTP server that answers 404 elsewhere`, async () => {
      const port = await freePort();
      const io = new Server(port);
      try {
        echo(io);
        const http = io.httpServer;
        assert.ok(http, "io.httpServer is the created server");
        if (!http.listening) await next(http, "listening");
        const url = `http://127.0.0.1:${port}`;
        assert.equal(await roundTrip(url, transport), transport);
        const other = await fetch(`${url}/elsewhere`);
        assert.equal(other.status, 404);
        await other.arrayBuffer();
      } finally {
        await shutdown(io);
      }
    });

    test(`[${transport}] new Server() then io.attach(httpServer)`, async () => {
      const http = createServer();
      const io = new Server();
      try {
        assert.equal(io.httpServer, undefined);
        assert.equal(io.attach(http), io, "attach() returns the server");
        assert.equal(io.httpServer, http);
        echo(io);
        const port = await listen(http);
        assert.equal(await roundTrip(`http://127.0.0.1:${port}`, transport), transport);
      } finally {
        await shutdown(io, http);
      }
    });

    test(`[${transport}] new Server() then io.listen(httpServer)`, async () => {
      const http = createServer();
      const io = new Server();
      try {
        assert.equal(io.listen(http), io, "listen() returns the server");
        assert.equal(io.httpServer, http);
        echo(io);
        const port = await listen(http);
        assert.equal(await roundTrip(`http://127.0.0.1:${port}`, transport), transport);
      } finally {
        await shutdown(io, http);
      }
    });

    test(`[${transport}] new Server(opts) without a server keeps its options through attach()`, async () => {
      const http = createServer();
      const io = new Server({ pingInterval: 12_345, path: "/late" });
      try {
        io.attach(http);
        echo(io);
        const port = await listen(http);
        const url = `http://127.0.0.1:${port}`;
        const res = await fetch(`${url}/late/?EIO=4&transport=polling`);
        assert.equal(res.status, 200);
        const open = await res.text();
        assert.match(open, /^0\{/);
        const handshake = JSON.parse(open.slice(1)) as { pingInterval: number };
        assert.equal(handshake.pingInterval, 12_345);
        assert.equal(await roundTrip(url, transport, { path: "/late" }), transport);
      } finally {
        await shutdown(io, http);
      }
    });

    test(`[${transport}] a custom path is served; the default path goes to the other handlers`, async () => {
      const http = notFoundServer();
      const io = new Server(http, { path: "/my/realtime" });
      try {
        echo(io);
        const port = await listen(http);
        const url = `http://127.0.0.1:${port}`;
        assert.equal(await roundTrip(url, transport, { path: "/my/realtime" }), transport);
        // With the trailing slash the client adds and without it (engine.io's `addTrailingSlash`).
        const withSlash = await fetch(`${url}/my/realtime/?EIO=4&transport=polling`);
        assert.equal(withSlash.status, 200);
        assert.match(await withSlash.text(), /^0\{"sid":/);
        const byDefault = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
        assert.equal(byDefault.status, 404);
        assert.equal(await byDefault.text(), "not found here");
        const client = roundTrip(url, transport, { timeout: 2000 });
        await assert.rejects(client, "no connection on the default path");
      } finally {
        await shutdown(io, http);
      }
    });

    test(`[${transport}] two omnio servers on two paths of one HTTP server`, async () => {
      const http = notFoundServer();
      const first = new Server(http, { path: "/first" });
      const second = new Server(http, { path: "/second" });
      try {
        const seen: string[] = [];
        first.on("connection", (socket) => {
          seen.push("first");
          socket.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
        });
        second.on("connection", (socket) => {
          seen.push("second");
          socket.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
        });
        const port = await listen(http);
        const url = `http://127.0.0.1:${port}`;
        assert.equal(await roundTrip(url, transport, { path: "/second" }), transport);
        assert.equal(await roundTrip(url, transport, { path: "/first" }), transport);
        assert.deepEqual(seen, ["second", "first"]);
        const elsewhere = await fetch(`${url}/third/?EIO=4&transport=polling`);
        assert.equal(elsewhere.status, 404);
        await elsewhere.arrayBuffer();
      } finally {
        http.closeAllConnections();
        await second.close();
        await first.close();
      }
    });
  }

  test("io.close() disconnects the clients, closes the HTTP server and resolves", async () => {
    const http = createServer();
    const io = new Server(http);
    let closed = false;
    try {
      const port = await listen(http);
      const connection = nextConnection(io);
      const c = ioc(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, transports: ["websocket"] });
      try {
        await next(c, "connect");
        const socket = await connection;
        const serverSide = next<[string]>(socket, "disconnect");
        const clientSide = next<[string]>(c, "disconnect");
        let callbackErr: unknown = "not called";
        await io.close((err) => (callbackErr = err));
        closed = true;
        assert.equal(callbackErr, undefined, "the callback gets no error");
        assert.equal(http.listening, false);
        assert.equal((await serverSide)[0], "server shutting down");
        assert.equal((await clientSide)[0], "transport close");
        const err = await connectError(port);
        assert.equal(err?.code, "ECONNREFUSED", "a new connection is refused");
      } finally {
        c.disconnect();
      }
    } finally {
      if (!closed) await shutdown(io, http);
    }
  });

  test("io.close() on a Server(port) closes the server it created", async () => {
    const port = await freePort();
    const io = new Server(port);
    let closed = false;
    try {
      const http = io.httpServer;
      assert.ok(http);
      if (!http.listening) await next(http, "listening");
      echo(io);
      assert.equal(await roundTrip(`http://127.0.0.1:${port}`, "polling"), "polling");
      http.closeAllConnections();
      await io.close();
      closed = true;
      assert.equal(http.listening, false);
      assert.equal((await connectError(port))?.code, "ECONNREFUSED");
    } finally {
      if (!closed) await shutdown(io);
    }
  });
});
