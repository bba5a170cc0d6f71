/**
 * Interop: the official client's automatic reconnection against omnio after the server
 * drops the connection, and a reconnection by hand after a server-side disconnect.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ServerSocket } from "@omnio/server";
import {
  MODES,
  next,
  nextConnection,
  pair,
  startInterop,
  waitConnect,
  waitUpgrade,
  type ClientOptions,
} from "./support/interop.js";

type Ack = (...args: unknown[]) => void;

/** Reconnect quickly and without jitter. */
const RECONNECT: ClientOptions = {
  reconnection: true,
  reconnectionDelay: 50,
  reconnectionDelayMax: 100,
  randomizationFactor: 0,
};

describe("interop: reconnection", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] the client reconnects after socket.conn.close(), with a new id`, async () => {
      const srv = await startInterop();
      try {
        srv.io.on("connection", (s: ServerSocket) => s.on("id", (ack: Ack) => ack(s.id)));
        const { client, socket: first } = await pair(srv, "/", mode, RECONNECT);
        const firstId = client.id;
        assert.equal(firstId, first.id);

        const attempt = next<[number]>(client.io, "reconnect_attempt");
        const reconnected = next<[number]>(client.io, "reconnect");
        const disconnected = next<[string]>(client, "disconnect");
        const firstGone = next<[string]>(first, "disconnect");
        const second = nextConnection(srv.io);
        first.conn.close();
        assert.equal((await disconnected)[0], "transport close");
        assert.equal((await firstGone)[0], "forced close");
        assert.equal((await attempt)[0], 1);
        assert.equal((await reconnected)[0], 1);
        const again = await second;
        await waitConnect(client);
        if (mode === "upgrade") await waitUpgrade(client);

        assert.notEqual(again.id, firstId, "a new session gets a new id");
        assert.equal(client.id, again.id);
        assert.ok(!client.recovered);
        assert.equal(again.recovered, false);
        assert.notEqual(again.conn, first.conn);
        assert.equal(await client.emitWithAck("id"), again.id);
        assert.equal(srv.io.sockets.sockets.size, 1);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] emits made while disconnected are sent after the reconnection`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket: first } = await pair(srv, "/", mode, RECONNECT);
        const disconnected = next(client, "disconnect");
        const second = nextConnection(srv.io);
        first.conn.close();
        await disconnected;
        client.emit("queued", 1);
        client.emit("queued", 2);
        const again = await second;
        const got: unknown[] = [];
        const both = new Promise<void>((resolve) =>
          again.on("queued", (n: unknown) => {
            got.push(n);
            if (got.length === 2) resolve();
          }),
        );
        await both;
        assert.deepEqual(got, [1, 2]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] the auth callback runs again on each reconnection`, async () => {
      const srv = await startInterop();
      try {
        let calls = 0;
        const seen: unknown[] = [];
        srv.io.use((socket, next) => {
          seen.push(socket.handshake.auth["attempt"]);
          next();
        });
        const { socket: first } = await pair(srv, "/", mode, {
          ...RECONNECT,
          auth: (cb: (data: object) => void) => cb({ attempt: ++calls }),
        });
        const second = nextConnection(srv.io);
        first.conn.close();
        const again = await second;
        assert.deepEqual(seen, [1, 2]);
        assert.deepEqual(again.handshake.auth, { attempt: 2 });
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] every namespace of a Manager reconnects together`, async () => {
      const srv = await startInterop();
      try {
        const manager = srv.manager(mode, RECONNECT);
        const connA = nextConnection(srv.io.of("/a"));
        const connB = nextConnection(srv.io.of("/b"));
        const ca = manager.socket("/a");
        const cb = manager.socket("/b");
        await Promise.all([waitConnect(ca), waitConnect(cb)]);
        const [sa] = await Promise.all([connA, connB]);
        const againA = nextConnection(srv.io.of("/a"));
        const againB = nextConnection(srv.io.of("/b"));
        sa.conn.close();
        const [na, nb] = await Promise.all([againA, againB]);
        assert.equal(na.conn, nb.conn, "still one connection for both namespaces");
        assert.notEqual(na.conn, sa.conn);
        await Promise.all([waitConnect(ca), waitConnect(cb)]);
        assert.deepEqual([ca.id, cb.id], [na.id, nb.id]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] no automatic reconnection after a server disconnect; connect() by hand works`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket: first } = await pair(srv, "/", mode, RECONNECT);
        const disconnected = next<[string]>(client, "disconnect");
        first.disconnect();
        assert.equal((await disconnected)[0], "io server disconnect");
        assert.equal(client.active, false);
        const second = nextConnection(srv.io);
        client.connect();
        const again = await second;
        await waitConnect(client);
        assert.notEqual(again.id, first.id);
        assert.equal(client.id, again.id);
      } finally {
        await srv.close();
      }
    });
  }
});
