/**
 * Interop: connection state recovery (socket.io 4.6+) with the official client: after a
 * short disconnection the client gets its id, rooms and data back and exactly the
 * broadcasts it missed, in order; and the cases where recovery must not happen.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ClientSocket } from "socket.io-client";
import type { ServerOptions, Socket as ServerSocket } from "@omnio/server";
import {
  MODES,
  next,
  nextConnection,
  pair,
  startInterop,
  until,
  waitConnect,
  type ClientOptions,
} from "./support/interop.js";

/** The client is back within a few hundred ms; the margin is for loaded machines. */
const CSR: ServerOptions = { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } };
const RECONNECT: ClientOptions = {
  reconnection: true,
  reconnectionDelay: 100,
  reconnectionDelayMax: 100,
  randomizationFactor: 0,
};

/** Records the first argument of every "b" event (the offset is appended after it). */
function received(client: ClientSocket): number[] {
  const out: number[] = [];
  client.on("b", (n: number) => out.push(n));
  return out;
}

/** Waits until the client saw `n` as its latest "b" event. */
function seen(client: ClientSocket, n: number): Promise<void> {
  return new Promise((resolve) => {
    const on = (v: number): void => {
      if (v === n) {
        client.off("b", on);
        resolve();
      }
    };
    client.on("b", on);
  });
}

describe("interop: connection state recovery", { concurrency: true }, () => {
  for (const mode of MODES) {
    for (const how of ["server", "client"] as const) {
      test(`[${mode}] recovers id, rooms, data and exactly the missed broadcasts (transport closed by the ${how})`, async () => {
        const srv = await startInterop(CSR);
        try {
          let middlewareRuns = 0;
          srv.io.use((_socket, next) => {
            middlewareRuns++;
            next();
          });
          const { client, socket: first } = await pair(srv, "/", mode, RECONNECT);
          assert.equal(first.recovered, false);
          assert.ok(!client.recovered);
          await first.join("room");
          first.data = { user: "ada", n: [1, 2] };
          const got = received(client);
          const upTo2 = seen(client, 2);
          srv.io.emit("b", 1);
          srv.io.to("room").emit("b", 2);
          await upTo2;

          // While the client is away (the broadcasts run inside the disconnect handler, before
          // any reconnection attempt can happen):
          first.on("disconnect", () => {
            srv.io.emit("b", 3);
            srv.io.to("room").emit("b", 4);
            srv.io.to("other-room").emit("b", 5); // not for this client
            srv.io.except("room").emit("b", 6); // not for this client
            srv.io.to(first.id).emit("b", 7); // its own room is kept too
            srv.io.emit("b", 8);
          });
          const back = nextConnection(srv.io);
          const serverReason = next<[string]>(first, "disconnect");
          if (how === "server") first.conn.close();
          else client.io.engine.close();
          assert.equal((await serverReason)[0], how === "server" ? "forced close" : "transport close");
          const again = await back;
          await waitConnect(client);

          assert.equal(again.recovered, true);
          assert.equal(client.recovered, true);
          assert.equal(again.id, first.id);
          assert.equal(client.id, first.id);
          assert.ok(again.rooms.has("room"));
          assert.deepEqual([...again.rooms].sort(), [first.id, "room"].sort());
          assert.deepEqual(again.data, { user: "ada", n: [1, 2] });
          assert.equal(middlewareRuns, 1, "middlewares are skipped on recovery (skipMiddlewares defaults to true)");

          const upTo9 = seen(client, 9);
          srv.io.to("room").emit("b", 9);
          await upTo9;
          assert.deepEqual(got, [1, 2, 3, 4, 7, 8, 9]);
        } finally {
          await srv.close();
        }
      });
    }

    test(`[${mode}] events carry an offset as last argument, except acked and volatile ones`, async () => {
      const srv = await startInterop(CSR);
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const args = (ev: string): Promise<unknown[]> => next<unknown[]>(client, ev);
        const direct = args("direct");
        socket.emit("direct", 1);
        const broadcast = args("broadcast");
        srv.io.emit("broadcast", 2);
        const [d, b] = await Promise.all([direct, broadcast]);
        assert.equal(d.length, 2);
        assert.equal(d[0], 1);
        assert.equal(typeof d[1], "string");
        assert.equal(b.length, 2);
        assert.equal(typeof b[1], "string");
        assert.notEqual(b[1], d[1], "each event has its own offset");

        const acked = new Promise<unknown[]>((resolve) =>
          client.once("acked", (...a: unknown[]) => {
            (a.pop() as () => void)();
            resolve(a);
          }),
        );
        await socket.emitWithAck("acked", 3);
        assert.deepEqual(await acked, [3]);
        await until(() => socket.conn.transport.writable, "the transport can write");
        const volatile = args("volatile");
        socket.volatile.emit("volatile", 4);
        assert.deepEqual(await volatile, [4]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] missed binary broadcasts are replayed as binary`, async () => {
      const srv = await startInterop(CSR);
      try {
        const { client, socket: first } = await pair(srv, "/", mode, RECONNECT);
        const upTo1 = seen(client, 1);
        srv.io.emit("b", 1);
        await upTo1;
        first.on("disconnect", () => srv.io.emit("bin", { data: Buffer.from([1, 2, 3]) }, new Uint8Array([4])));
        const replayed = next<unknown[]>(client, "bin");
        const back = nextConnection(srv.io);
        first.conn.close();
        assert.equal((await back).recovered, true);
        const [obj, extra, offset] = await replayed;
        const data = (obj as { data: unknown }).data;
        assert.ok(Buffer.isBuffer(data) && Buffer.isBuffer(extra));
        assert.deepEqual([...data], [1, 2, 3]);
        assert.deepEqual([...extra], [4]);
        assert.equal(typeof offset, "string");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] an unknown pid gets a new session (recovered false)`, async () => {
      const srv = await startInterop(CSR);
      try {
        // The client sends its auth as the CONNECT payload: a pid/offset the server never issued.
        const { client, socket } = await pair(srv, "/", mode, {
          auth: { pid: "unknown-pid", offset: "unknown-offset" },
        });
        assert.equal(socket.recovered, false);
        assert.ok(!client.recovered);
        assert.equal(client.id, socket.id);
        assert.deepEqual([...socket.rooms], [socket.id]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] no recovery without an offset, or after a client disconnect`, async () => {
      const srv = await startInterop(CSR);
      try {
        // Never received a broadcast: the client has a pid but no offset to resume from.
        const { client, socket: first } = await pair(srv, "/", mode, RECONNECT);
        const back = nextConnection(srv.io);
        first.conn.close();
        const again = await back;
        await waitConnect(client);
        assert.equal(again.recovered, false);
        assert.ok(!client.recovered);
        assert.notEqual(again.id, first.id);

        // With an offset, but the client left on purpose: the session is not kept.
        const upTo1 = seen(client, 1);
        srv.io.emit("b", 1);
        await upTo1;
        const left = next(again, "disconnect");
        client.disconnect();
        await left;
        const third = nextConnection(srv.io);
        client.connect();
        const s3 = await third;
        await waitConnect(client);
        assert.equal(s3.recovered, false);
        assert.ok(!client.recovered);
        assert.notEqual(s3.id, again.id);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] no recovery after maxDisconnectionDuration`, async () => {
      const srv = await startInterop({ connectionStateRecovery: { maxDisconnectionDuration: 100 } });
      try {
        const { client, socket: first } = await pair(srv, "/", mode, {
          ...RECONNECT,
          reconnectionDelay: 600,
          reconnectionDelayMax: 600,
        });
        const upTo1 = seen(client, 1);
        srv.io.emit("b", 1);
        await upTo1;
        const back = nextConnection(srv.io);
        first.conn.close();
        const again: ServerSocket = await back;
        await waitConnect(client);
        assert.equal(again.recovered, false);
        assert.ok(!client.recovered);
        assert.notEqual(again.id, first.id);
      } finally {
        await srv.close();
      }
    });
  }
});
