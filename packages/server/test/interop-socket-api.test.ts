/**
 * Interop: the server Socket's API as seen with the official client: catch-all listeners
 * (`onAny`, `prependAny`, `offAny`, `onAnyOutgoing`), `socket.handshake`, `socket.conn`
 * and the upgrade, `socket.data`, `send`, `volatile`, `compress(false)`, ordering across
 * the upgrade, and `serverSideEmit` on a single server.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EngineSocket } from "@omnio/server";
import { AGAINST_REFERENCE, MODES, next, pair, startInterop, until } from "./support/interop.js";

type Ack = (...args: unknown[]) => void;
type AnyListener = (event: string, ...args: unknown[]) => void;

describe("interop: socket API", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] onAny / prependAny / offAny see incoming events (with the ack) before listeners`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const log: unknown[] = [];
        const any: AnyListener = (ev, ...args) => log.push(["any", ev, ...args.filter((a) => typeof a !== "function")]);
        const first: AnyListener = (ev) => log.push(["prepended", ev]);
        socket.onAny(any);
        socket.prependAny(first);
        assert.deepEqual(socket.listenersAny(), [first, any]);
        socket.on("e", (x: unknown) => log.push(["listener", x]));
        socket.on("ackme", () => log.push(["listener", "ackme"]));
        socket.onAny((ev, ...args) => {
          if (ev === "ackme") (args.at(-1) as Ack)("answered by onAny");
        });

        assert.equal(await client.emitWithAck("ackme", 1), "answered by onAny");
        client.emit("e", 2);
        await next(socket, "e");
        assert.deepEqual(log, [
          ["prepended", "ackme"],
          ["any", "ackme", 1],
          ["listener", "ackme"],
          ["prepended", "e"],
          ["any", "e", 2],
          ["listener", 2],
        ]);

        log.length = 0;
        socket.offAny(first);
        client.emit("e", 3);
        await next(socket, "e");
        assert.deepEqual(log, [
          ["any", "e", 3],
          ["listener", 3],
        ]);
        log.length = 0;
        socket.offAny();
        assert.deepEqual(socket.listenersAny(), []);
        client.emit("e", 4);
        await next(socket, "e");
        assert.deepEqual(log, [["listener", 4]]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] onAnyOutgoing sees emits and broadcasts, not acks`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const log: unknown[] = [];
        const out: AnyListener = (ev, ...args) => log.push(["out", ev, ...args]);
        const outFirst: AnyListener = (ev) => log.push(["first", ev]);
        socket.onAnyOutgoing(out);
        socket.prependAnyOutgoing(outFirst);
        assert.deepEqual(socket.listenersAnyOutgoing(), [outFirst, out]);
        client.on("q", (n: number, ack: Ack) => ack(n + 1));
        socket.on("ask", (ack: Ack) => ack("acks are not outgoing events"));

        assert.equal(await socket.emitWithAck("q", 1), 2);
        const bc = next(client, "bc");
        srv.io.emit("bc", { x: 1 });
        await bc;
        const other = next(client, "to-room");
        await socket.join("r");
        srv.io.to("r").emit("to-room", 3);
        await other;
        await client.emitWithAck("ask");
        assert.deepEqual(log, [
          ["first", "q"],
          ["out", "q", 1],
          ["first", "bc"],
          ["out", "bc", { x: 1 }],
          ["first", "to-room"],
          ["out", "to-room", 3],
        ]);

        socket.offAnyOutgoing(outFirst);
        socket.offAnyOutgoing();
        assert.deepEqual(socket.listenersAnyOutgoing(), []);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socket.handshake: headers, query, auth, address, xdomain, secure, issued, url, time`, async () => {
      const srv = await startInterop();
      try {
        const before = Date.now();
        const { socket } = await pair(srv, "/", mode, {
          query: { room: "lobby", n: "1" },
          auth: { token: "abc", nested: { a: [1] } },
          extraHeaders: { "x-custom": "custom value" },
        });
        const after = Date.now();
        const h = socket.handshake;
        const port = new URL(srv.url).port;
        assert.equal(h.headers["host"], `127.0.0.1:${port}`);
        assert.equal(h.headers["x-custom"], "custom value");
        assert.equal(h.query["room"], "lobby");
        assert.equal(h.query["n"], "1");
        assert.equal(h.query["EIO"], "4");
        assert.equal(h.query["transport"], mode === "websocket" ? "websocket" : "polling");
        assert.deepEqual(h.auth, { token: "abc", nested: { a: [1] } });
        assert.match(h.address, /^(::ffff:)?127\.0\.0\.1$/);
        assert.equal(h.xdomain, false);
        assert.equal(h.secure, false);
        assert.equal(typeof h.issued, "number");
        assert.ok(h.issued >= before && h.issued <= after, "issued is the connection time");
        assert.equal(typeof h.time, "string");
        assert.ok(Math.abs(Date.parse(h.time) - h.issued) < 1000, "time is the same moment as a date string");
        assert.ok(h.url.startsWith("/socket.io/?"), h.url);
        assert.match(h.url, /[?&]room=lobby(&|$)/);
        assert.match(h.url, /[?&]EIO=4(&|$)/);

        const { socket: cross } = await pair(srv, "/", mode, { extraHeaders: { origin: "http://example.com" } });
        assert.equal(cross.handshake.xdomain, true);
        assert.equal(cross.handshake.headers["origin"], "http://example.com");
        assert.deepEqual(cross.handshake.auth, {});
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socket.conn.transport.name, and the upgrade event on socket.conn`, async () => {
      const srv = await startInterop();
      try {
        const upgrades: string[] = [];
        const upgrading: string[] = [];
        srv.io.engine.on("connection", (conn: EngineSocket) => {
          conn.on("upgrading", (t) => upgrading.push(t.name));
          conn.on("upgrade", (t) => upgrades.push(t.name));
        });
        const { socket } = await pair(srv, "/", mode);
        if (mode === "upgrade") {
          await until(() => upgrades.length > 0, "the server sees the upgrade");
          assert.deepEqual(upgrading, ["websocket"]);
          assert.deepEqual(upgrades, ["websocket"]);
          assert.equal(socket.conn.upgraded, true);
          assert.equal(socket.conn.transport.name, "websocket");
        } else {
          assert.equal(socket.conn.transport.name, mode);
          assert.deepEqual(upgrades, []);
          assert.equal(socket.conn.upgraded, false);
        }
        assert.equal(socket.conn.readyState, "open");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] messages keep their order both ways, also across the upgrade`, async () => {
      const srv = await startInterop();
      try {
        const N = 200;
        const fromClient: number[] = [];
        const serverGotAll = new Promise<void>((resolve) =>
          srv.io.on("connection", (s) => {
            // Start at once: in upgrade mode this spans polling, the probe and the WebSocket.
            for (let i = 0; i < N; i++) s.emit("n", i);
            s.on("n", (i: number) => {
              fromClient.push(i);
              if (fromClient.length === N) resolve();
            });
          }),
        );
        const client = srv.client("/", mode);
        const fromServer: number[] = [];
        const clientGotAll = new Promise<void>((resolve) =>
          client.on("n", (i: number) => {
            fromServer.push(i);
            if (fromServer.length === N) resolve();
          }),
        );
        client.on("connect", () => {
          for (let i = 0; i < N; i++) client.emit("n", i);
        });
        await Promise.all([serverGotAll, clientGotAll]);
        const expected = Array.from({ length: N }, (_, i) => i);
        assert.deepEqual(fromServer, expected);
        assert.deepEqual(fromClient, expected);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socket.data starts empty and shows in fetchSockets; send() is "message"`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        assert.deepEqual(socket.data, {});
        socket.data = { role: "admin" };
        assert.deepEqual((await srv.io.fetchSockets())[0]?.data, { role: "admin" });
        const got = next(client, "message");
        socket.send("hello", 1);
        assert.deepEqual(await got, ["hello", 1]);
        const back = next(socket, "message");
        client.send("hi");
        assert.deepEqual(await back, ["hi"]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] volatile emits are delivered when the transport is free`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        await until(() => socket.conn.transport.writable, "the transport can write");
        const one = next(client, "v");
        socket.volatile.emit("v", 1);
        assert.deepEqual(await one, [1]);
        await until(() => socket.conn.transport.writable, "the transport can write");
        const two = next(client, "v");
        srv.io.volatile.emit("v", 2);
        assert.deepEqual(await two, [2]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] compress(false) and compressed emits arrive intact with compression on`, async () => {
      const srv = await startInterop({ perMessageDeflate: { threshold: 0 }, httpCompression: { threshold: 0 } });
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const text = "compressible ".repeat(2000);
        const got: unknown[] = [];
        const all = new Promise<void>((resolve) =>
          client.on("c", (label: string, s: string) => {
            got.push([label, s === text]);
            if (got.length === 3) resolve();
          }),
        );
        socket.compress(false).emit("c", "plain", text);
        socket.compress(true).emit("c", "deflated", text);
        srv.io.compress(false).emit("c", "broadcast", text);
        await all;
        assert.deepEqual(got, [
          ["plain", true],
          ["deflated", true],
          ["broadcast", true],
        ]);
        socket.on("c", (s: string, ack: Ack) => ack(s === text));
        assert.equal(await client.compress(false).emitWithAck("c", text), true);
      } finally {
        await srv.close();
      }
    });
  }

  test("[polling] a volatile emit while the transport is busy is dropped; later emits arrive", async () => {
    // With WebSocket, socket.io drops volatile packets while a frame is being written and
    // omnio while the socket is congested: that timing is not pinned down here.
    const srv = await startInterop();
    try {
      const { client, socket } = await pair(srv, "/", "polling");
      const heard: unknown[] = [];
      client.onAny((ev: string, n: unknown) => heard.push([ev, n]));
      const first = next(client, "n");
      socket.emit("n", 1);
      socket.volatile.emit("v", 2); // the transport is busy with n:1 (or no GET is pending)
      await first;
      await until(() => socket.conn.transport.writable, "the client polls again");
      const last = next(client, "n");
      socket.emit("n", 3);
      await last;
      assert.deepEqual(heard, [
        ["n", 1],
        ["n", 3],
      ]);
    } finally {
      await srv.close();
    }
  });

  test("serverSideEmit on a single server: no local delivery, reserved names refused", async () => {
    const srv = await startInterop();
    try {
      const local: unknown[] = [];
      srv.io.on("hello", (...args: unknown[]) => local.push(args));
      assert.equal(srv.io.serverSideEmit("hello", 1), true);
      assert.equal(srv.io.of("/admin").serverSideEmit("hello", 2), true);
      assert.throws(() => srv.io.serverSideEmit("connection"), /reserved event name/);
      assert.throws(() => srv.io.serverSideEmit("new_namespace"), /reserved event name/);
      assert.deepEqual(local, []);
    } finally {
      await srv.close();
    }
  });

  test(
    "serverSideEmit with an ack on a single server acks with no responses",
    // socket.io's in-memory adapter only warns and never calls the ack; omnio answers with
    // the responses of the other servers: none.
    { skip: AGAINST_REFERENCE && "omnio-specific: socket.io never calls this ack" },
    async () => {
      const srv = await startInterop();
      try {
        const [err, responses] = await new Promise<unknown[]>((resolve) =>
          srv.io.serverSideEmit("hello", 1, (...args: unknown[]) => resolve(args)),
        );
        assert.equal(err, null);
        assert.deepEqual(responses, []);
        assert.deepEqual(await srv.io.serverSideEmitWithAck("hello"), []);
        assert.deepEqual(await srv.io.of("/other").serverSideEmitWithAck("hello", 2), []);
      } finally {
        await srv.close();
      }
    },
  );
});
