/**
 * Interop: connection middlewares (`io.use`, `nsp.use`) and per-socket event middlewares
 * (`socket.use`) as the official client experiences them.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ExtendedError, Socket as ServerSocket } from "@omnio/server";
import { MODES, next, pair, startInterop, until, waitConnect } from "./support/interop.js";

type Ack = (...args: unknown[]) => void;

function refused(message: string, data?: unknown): ExtendedError {
  const err: ExtendedError = new Error(message);
  if (data !== undefined) err.data = data;
  return err;
}

describe("interop: middleware", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] io.use error → connect_error with message and data; no connection`, async () => {
      const srv = await startInterop();
      try {
        const connections: string[] = [];
        srv.io.on("connection", (s: ServerSocket) => connections.push(s.id));
        const seenAuth: unknown[] = [];
        srv.io.use((socket, next) => {
          seenAuth.push(socket.handshake.auth);
          if (socket.handshake.auth["token"] !== "secret")
            next(refused("not authorized", { content: "retry later", code: 401 }));
          else next();
        });
        const bad = srv.client("/", mode, { auth: { token: "wrong" } });
        const [err] = await next<[Error & { data?: unknown }]>(bad, "connect_error");
        assert.equal(err.message, "not authorized");
        assert.deepEqual(err.data, { content: "retry later", code: 401 });
        assert.equal(bad.connected, false);
        assert.equal(bad.active, false, "a middleware refusal is final (no automatic reconnection)");
        assert.deepEqual(connections, []);
        assert.equal(srv.io.sockets.sockets.size, 0);
        assert.deepEqual(await srv.io.fetchSockets(), []);

        // A retry by hand runs the middleware again, with the new auth.
        bad.auth = { token: "secret" };
        bad.connect();
        await waitConnect(bad);
        assert.equal(connections.length, 1);
        assert.deepEqual(seenAuth, [{ token: "wrong" }, { token: "secret" }]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] an error without data gives connect_error without data`, async () => {
      const srv = await startInterop();
      try {
        srv.io.use((_socket, next) => next(new Error("nope")));
        const c = srv.client("/", mode);
        const [err] = await next<[Error & { data?: unknown }]>(c, "connect_error");
        assert.equal(err.message, "nope");
        assert.equal(err.data, undefined);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] middlewares run in order, may be async, and may set socket.data`, async () => {
      const srv = await startInterop();
      try {
        const order: string[] = [];
        srv.io.use((socket, next) => {
          order.push("first");
          socket.data = { user: socket.handshake.auth["user"] };
          next();
        });
        srv.io.use((_socket, next) => {
          order.push("second");
          setTimeout(() => next(), 20);
        });
        srv.io.use((_socket, next) => {
          order.push("third");
          next();
        });
        const { client, socket } = await pair(srv, "/", mode, { auth: { user: "ada" } });
        assert.deepEqual(order, ["first", "second", "third"]);
        assert.deepEqual(socket.data, { user: "ada" });
        socket.on("me", (ack: Ack) => ack(socket.data));
        assert.deepEqual(await client.emitWithAck("me"), { user: "ada" });
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a middleware finishing after the client left is ignored`, async () => {
      const srv = await startInterop();
      try {
        const connections: string[] = [];
        srv.io.on("connection", (s: ServerSocket) => connections.push(s.id));
        let release: (() => void) | undefined;
        const started = new Promise<ServerSocket>((resolve) =>
          srv.io.use((socket, next) => {
            void socket.join("pending");
            release = () => next();
            resolve(socket);
          }),
        );
        const c = srv.client("/", mode);
        const pending = await started;
        const closed = next(pending.conn, "close");
        c.io.engine.close();
        await closed;
        release?.();
        // The middleware chain completes asynchronously (socket.io: on the next tick).
        await until(() => !srv.io.sockets.adapter.rooms.has("pending"), "the refused socket leaves its rooms");
        assert.deepEqual(connections, []);
        assert.equal(srv.io.sockets.sockets.size, 0);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] nsp.use refuses one namespace; others on the same connection work`, async () => {
      const srv = await startInterop();
      try {
        srv.io.of("/admin").use((_socket, next) => next(refused("admins only", { role: "guest" })));
        srv.io.on("connection", (s: ServerSocket) => s.on("ok", (ack: Ack) => ack("ok")));
        const manager = srv.manager(mode);
        const main = manager.socket("/");
        const admin = manager.socket("/admin");
        const refusal = next<[Error & { data?: unknown }]>(admin, "connect_error");
        await waitConnect(main);
        const [err] = await refusal;
        assert.equal(err.message, "admins only");
        assert.deepEqual(err.data, { role: "guest" });
        assert.equal(srv.io.of("/admin").sockets.size, 0);
        assert.equal(await main.emitWithAck("ok"), "ok");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socket.use sees [event, ...args]; an error raises "error" and the event is not delivered`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const seen: unknown[] = [];
        socket.use((packet, next) => {
          seen.push(packet.slice(0, 2));
          if (packet[0] === "forbidden") next(new Error("forbidden event"));
          else if (packet[0] === "rewrite") {
            packet[1] = "rewritten";
            next();
          } else next();
        });
        const delivered: unknown[] = [];
        socket.on("forbidden", (...args: unknown[]) => delivered.push(["forbidden", ...args]));
        socket.on("rewrite", (value: unknown, ack: Ack) => ack(value));
        socket.on("allowed", (value: unknown, ack: Ack) => ack(value));

        const errored = next<[Error]>(socket, "error");
        let acked = false;
        client.emit("forbidden", 1, () => (acked = true));
        const [err] = await errored;
        assert.equal(err.message, "forbidden event");
        assert.equal(await client.emitWithAck("rewrite", "original"), "rewritten");
        // Events are handled in order: a delivery or an ack of "forbidden" would have come first.
        assert.equal(await client.emitWithAck("allowed", 2), 2);
        assert.deepEqual(delivered, []);
        assert.equal(acked, false);
        assert.deepEqual(seen, [
          ["forbidden", 1],
          ["rewrite", "original"],
          ["allowed", 2],
        ]);
        assert.ok(client.connected, "a socket middleware error does not disconnect");
        assert.ok(socket.connected);
      } finally {
        await srv.close();
      }
    });
  }
});
