/**
 * Interop: acknowledgements in both directions between the official client and omnio:
 * callbacks, `emitWithAck`, and `timeout()` on either side.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MODES, next, pair, startInterop } from "./support/interop.js";

type Ack = (...args: unknown[]) => void;

describe("interop: acknowledgements", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] client → server: the ack callback gets the server's arguments`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("add", (a: number, b: number, ack: Ack) => ack(a + b));
        socket.on("many", (ack: Ack) => ack("one", 2, { three: [3] }, null));
        socket.on("none", (ack: Ack) => ack());
        const sum = await new Promise((resolve) => client.emit("add", 2, 3, resolve));
        assert.equal(sum, 5);
        const many = await new Promise<unknown[]>((resolve) =>
          client.emit("many", (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(many, ["one", 2, { three: [3] }, null]);
        const none = await new Promise<unknown[]>((resolve) =>
          client.emit("none", (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(none, []);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] server → client: the ack callback gets the client's arguments`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        client.on("upper", (s: string, ack: Ack) => ack(s.toUpperCase(), s.length));
        const answer = await new Promise<unknown[]>((resolve) =>
          socket.emit("upper", "abc", (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(answer, ["ABC", 3]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] emitWithAck both directions, many in flight at once`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("square", (n: number, ack: Ack) => ack(n * n));
        client.on("shift", (n: number, ack: Ack) => ack(n + 100));
        const ns = Array.from({ length: 30 }, (_, i) => i);
        assert.deepEqual(
          await Promise.all(ns.map((n) => client.emitWithAck("square", n))),
          ns.map((n) => n * n),
        );
        assert.deepEqual(
          await Promise.all(ns.map((n) => socket.emitWithAck("shift", n))),
          ns.map((n) => n + 100),
        );
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] server timeout().emit: error when the client never acks, value when it does`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        client.on("ignored", () => undefined); // never calls the ack
        client.on("answered", (ack: Ack) => ack("yes"));
        const [err, extra] = await new Promise<unknown[]>((resolve) =>
          socket.timeout(150).emit("ignored", (...args: unknown[]) => resolve(args)),
        );
        assert.ok(err instanceof Error);
        assert.equal(err.message, "operation has timed out");
        assert.equal(extra, undefined);
        const ok = await new Promise<unknown[]>((resolve) =>
          socket.timeout(5000).emit("answered", (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(ok, [null, "yes"]);
        await assert.rejects(socket.timeout(150).emitWithAck("ignored"), { message: "operation has timed out" });
        assert.equal(await socket.timeout(5000).emitWithAck("answered"), "yes");
        assert.ok(client.connected, "a missed ack does not disconnect");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a late client ack after the server timeout is ignored`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        client.on("slow", (ack: Ack) =>
          setTimeout(() => {
            ack("late");
            client.emit("acked-late"); // arrives after the ack: same connection, in order
          }, 300),
        );
        const calls: unknown[][] = [];
        const ackedLate = next(socket, "acked-late");
        socket.timeout(50).emit("slow", (...args: unknown[]) => calls.push(args));
        await ackedLate;
        assert.equal(calls.length, 1);
        assert.equal((calls[0]?.[0] as Error).message, "operation has timed out");
        // The connection is still fine afterwards.
        socket.on("ping2", (ack: Ack) => ack("pong2"));
        assert.equal(await client.emitWithAck("ping2"), "pong2");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] client timeout().emitWithAck rejects when the server never acks`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("ignored", () => undefined);
        socket.on("answered", (ack: Ack) => ack(1));
        await assert.rejects(client.timeout(150).emitWithAck("ignored"), { message: "operation has timed out" });
        assert.equal(await client.timeout(5000).emitWithAck("answered"), 1);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a server listener calling its ack twice answers once`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("twice", (ack: Ack) => {
          ack("first");
          ack("second");
        });
        const got: unknown[] = [];
        // The Manager's packet event sees every ACK the server sends, even ones the socket would
        // drop (it runs after the socket's own handler, which may prepend a null error).
        client.io.on("packet", (p: { type: number; data?: unknown }) => {
          if (p.type === 3) got.push((p.data as unknown[]).at(-1));
        });
        assert.equal(await client.emitWithAck("twice"), "first");
        assert.equal(await client.emitWithAck("twice"), "first");
        assert.deepEqual(got, ["first", "first"]);
      } finally {
        await srv.close();
      }
    });
  }
});
