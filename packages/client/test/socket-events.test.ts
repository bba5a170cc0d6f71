/** Socket.IO client: events and binary both ways, acks both ways, timeouts, emitWithAck, buffers, catch-all listeners. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ClientError } from "@omnio/client";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`socket events [${kind}, ${mode.name}]`, () => {
      const base = { transports: mode.transports, upgrade: mode.upgrade, reconnection: false };

      test("text and binary events both ways, with onAny / onAnyOutgoing", async () => {
        const srv = await startSio(kind);
        try {
          const serverSocket = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          await once(socket, "connect");
          const s = await serverSocket;
          const outgoing: unknown[] = [];
          socket.onAnyOutgoing((ev, ...args) => outgoing.push([ev, args.length]));
          const got = once<[string, Buffer, { nested: Buffer }]>(s, "up");
          socket.emit("up", "héllo ☃", new Uint8Array([1, 2, 3]), { nested: new Uint8Array([9, 8]).buffer });
          const [text, bin, obj] = await got;
          assert.equal(text, "héllo ☃");
          assert.deepEqual([...bin], [1, 2, 3]);
          assert.deepEqual([...obj.nested], [9, 8]);
          assert.deepEqual(outgoing, [["up", 3]]);

          const any: string[] = [];
          socket.onAny((ev) => any.push(ev));
          const down = once<[number, ArrayBuffer, { b: ArrayBuffer }]>(socket, "down");
          s.emit("down", 42, Buffer.from([4, 5]), { b: Buffer.from([6]) });
          const [n, buf, nested] = await down;
          assert.equal(n, 42);
          assert.ok(buf instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(buf)], [4, 5]);
          assert.deepEqual([...new Uint8Array(nested.b)], [6]);
          assert.deepEqual(any, ["down"]);
          assert.equal(socket.listenersAny().length, 1);
          socket.offAny();
          assert.equal(socket.listenersAny().length, 0);
          socket.send("hi");
          assert.deepEqual(await once(s, "message"), ["hi"]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("acks both ways (ids from 0, binary in acks), timeout, emitWithAck", async () => {
        const srv = await startSio(kind);
        try {
          const serverSocket = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          await once(socket, "connect");
          const s = await serverSocket;
          s.on("double", (n: number, ack: (v: number) => void) => ack(n * 2));
          s.on("bin", (ack: (b: Buffer) => void) => ack(Buffer.from([7, 7])));
          s.on("never", () => {});
          const doubled = await new Promise<number>((resolve) => socket.emit("double", 21, resolve));
          assert.equal(doubled, 42);
          const bin = await new Promise<ArrayBuffer>((resolve) => socket.emit("bin", resolve));
          assert.deepEqual([...new Uint8Array(bin)], [7, 7]);
          // timeout(): error-first callback.
          const [err, v] = await new Promise<[Error | null, number]>((resolve) =>
            socket.timeout(2000).emit("double", 5, (e: Error | null, r: number) => resolve([e, r])),
          );
          assert.equal(err, null);
          assert.equal(v, 10);
          const [timedOut] = await new Promise<[ClientError]>((resolve) =>
            socket.timeout(50).emit("never", (e: ClientError) => resolve([e])),
          );
          assert.equal(timedOut.code, "ACK_TIMEOUT");
          assert.equal(timedOut.message, "operation has timed out");
          assert.equal(await socket.emitWithAck("double", 4), 8);
          assert.equal(await socket.timeout(2000).emitWithAck("double", 6), 12);
          await assert.rejects(socket.timeout(30).emitWithAck("never"), { code: "ACK_TIMEOUT" });

          // Server → client ack.
          socket.on("ask", (q: string, ack: (a: string) => void) => ack(q + "!"));
          const answer = await new Promise<string>((resolve) => s.emit("ask", "why", resolve));
          assert.equal(answer, "why!");
          const answer2 = await s.timeout(2000).emitWithAck("ask", "how");
          assert.equal(answer2, "how!");
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("ackTimeout option, and pending error-first acks fail on disconnect", async () => {
        const srv = await startSio(kind);
        try {
          srv.io.on("connection", (s: any) => s.on("never", () => {}));
          const socket = io(srv.url, { ...base, ackTimeout: 40 });
          await once(socket, "connect");
          await assert.rejects(socket.emitWithAck("never"), { code: "ACK_TIMEOUT" });
          const pending = new Promise<ClientError>((resolve) =>
            socket.timeout(5000).emit("never", (e: ClientError) => resolve(e)),
          );
          await sleep(20);
          socket.disconnect();
          const err = await pending;
          assert.equal(err.code, "DISCONNECTED");
          assert.equal(err.message, "socket has been disconnected");
        } finally {
          await srv.close();
        }
      });

      test("send buffer: emits made before connect are flushed in order; volatile ones are dropped", async () => {
        const srv = await startSio(kind);
        try {
          const received: unknown[] = [];
          srv.io.on("connection", (s: any) =>
            s.onAny((ev: string, ...args: unknown[]) => received.push([ev, ...args])),
          );
          const socket = io(srv.url, { ...base, autoConnect: false });
          socket.emit("a", 1);
          socket.volatile.emit("dropped");
          socket.emit("b", new Uint8Array([2]));
          const acked = new Promise<string>((resolve) => socket.emit("c", 3, () => resolve("acked")));
          srv.io.once("connection", (s: any) =>
            s.on("c", (_n: number, ack: () => void) => {
              ack();
            }),
          );
          socket.connect();
          await once(socket, "connect");
          assert.equal(await acked, "acked");
          await until(() => received.length >= 3, 3000, "3 events");
          assert.deepEqual(
            received.map((r) => (r as unknown[])[0]),
            ["a", "b", "c"],
          );
          socket.emit("d");
          await until(() => received.length >= 4, 3000, "4 events");
          assert.equal((received[3] as unknown[])[0], "d");
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("a timed-out emit waiting in the send buffer is never sent", async () => {
        const srv = await startSio(kind);
        try {
          const received: string[] = [];
          srv.io.on("connection", (s: any) => s.onAny((ev: string) => received.push(ev)));
          const socket = io(srv.url, { ...base, autoConnect: false });
          const err = new Promise<ClientError>((resolve) =>
            socket.timeout(10).emit("late", (e: ClientError) => resolve(e)),
          );
          assert.equal((await err).code, "ACK_TIMEOUT");
          socket.emit("kept");
          socket.connect();
          await once(socket, "connect");
          await until(() => received.length >= 1, 3000, "kept");
          await sleep(50);
          assert.deepEqual(received, ["kept"]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("reserved event names are refused", async () => {
        const srv = await startSio(kind);
        try {
          const socket = io(srv.url, base);
          for (const name of [
            "connect",
            "connect_error",
            "disconnect",
            "disconnecting",
            "newListener",
            "removeListener",
          ]) {
            assert.throws(
              () => socket.emit(name),
              (e: unknown) => e instanceof ClientError && e.code === "RESERVED_EVENT",
            );
          }
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });
    });
  }
}
