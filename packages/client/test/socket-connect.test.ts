/** Socket.IO client: connect, disconnect reasons both ways, middleware errors, namespaces on one Manager. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ClientError, Manager } from "@omnio/client";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, nodePlatform, once } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`socket connect [${kind}, ${mode.name}]`, () => {
      const base = { transports: mode.transports, upgrade: mode.upgrade, reconnection: false };

      test("connects, gets an id, and the client disconnect reaches the server", async () => {
        const srv = await startSio(kind);
        try {
          const serverSocket = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          assert.equal(socket.active, true);
          await once(socket, "connect");
          const s = await serverSocket;
          assert.equal(socket.connected, true);
          assert.equal(socket.disconnected, false);
          assert.equal(socket.id, s.id);
          assert.equal(socket.recovered, false);
          const serverReason = once<[string]>(s, "disconnect");
          const clientReason = once<[string]>(socket, "disconnect");
          socket.disconnect();
          assert.deepEqual((await clientReason)[0], "io client disconnect");
          assert.match((await serverReason)[0], /^(client namespace disconnect|transport close)$/);
          assert.equal(socket.active, false);
          assert.equal(socket.id, undefined);
          assert.equal(socket.io.readyState, "closed");
        } finally {
          await srv.close();
        }
      });

      test("server disconnect → io server disconnect, not active, no reconnection", async () => {
        const srv = await startSio(kind);
        try {
          const serverSocket = nextServerSocket(srv.io);
          const socket = io(srv.url, { ...base, reconnection: true, reconnectionDelay: 20 });
          await once(socket, "connect");
          const reason = once<[string]>(socket, "disconnect");
          (await serverSocket).disconnect();
          assert.equal((await reason)[0], "io server disconnect");
          assert.equal(socket.active, false);
          assert.equal(socket.io.reconnecting, false);
          socket.io.close();
        } finally {
          await srv.close();
        }
      });

      test("middleware error → connect_error with message and data; socket inactive", async () => {
        const srv = await startSio(kind);
        try {
          srv.io.use((_socket: unknown, next: (err?: Error) => void) => {
            const err = new Error("not authorized") as Error & { data: unknown };
            err.data = { content: "retry later" };
            next(err);
          });
          const socket = io(srv.url, base);
          const [err] = await once<[ClientError]>(socket, "connect_error");
          assert.ok(err instanceof ClientError);
          assert.equal(err.code, "CONNECT_REFUSED");
          assert.equal(err.message, "not authorized");
          assert.deepEqual(err.data, { content: "retry later" });
          assert.equal(socket.active, false);
          assert.equal(socket.connected, false);
          await until(() => socket.io.readyState === "closed", 2000, "manager closed");
        } finally {
          await srv.close();
        }
      });

      test("auth object, and an auth function called at every connect", async () => {
        const srv = await startSio(kind);
        try {
          const seen: unknown[] = [];
          srv.io.on("connection", (s: { handshake: { auth: unknown } }) => seen.push(s.handshake.auth));
          const a = io(srv.url, { ...base, auth: { token: "abc" } });
          await once(a, "connect");
          let calls = 0;
          const b = io(srv.url, { ...base, auth: (cb) => cb({ n: ++calls }) });
          await once(b, "connect");
          b.disconnect();
          b.connect();
          await once(b, "connect");
          assert.deepEqual(seen, [{ token: "abc" }, { n: 1 }, { n: 2 }]);
          a.disconnect();
          b.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("namespaces multiplexed on one Manager; the engine closes when the last socket leaves", async () => {
        const srv = await startSio(kind);
        try {
          srv.io.of("/admin");
          const manager = new Manager(srv.url, { ...base, platform: nodePlatform() });
          const main = manager.socket("/");
          const admin = manager.socket("/admin");
          const viaIo = io(`${srv.url}/other`, { manager });
          srv.io.of("/other");
          await Promise.all([once(main, "connect"), once(admin, "connect"), once(viaIo, "connect")]);
          assert.equal(srv.engineConnections(), 1);
          assert.equal(viaIo.io, manager);
          assert.notEqual(main.id, admin.id);
          // The same namespace again (or forceNew) gets a new Manager, as in socket.io-client.
          const again = io(srv.url, { ...base, manager });
          assert.notEqual(again.io, manager);
          await once(again, "connect");
          again.disconnect();
          admin.disconnect();
          viaIo.disconnect();
          assert.equal(manager.readyState, "open");
          const closed = once<[string]>(manager, "close");
          main.disconnect();
          assert.equal((await closed)[0], "forced close");
        } finally {
          await srv.close();
        }
      });

      test("unknown namespace → connect_error Invalid namespace", async () => {
        const srv = await startSio(kind);
        try {
          const socket = io(`${srv.url}/nope`, base);
          const [err] = await once<[ClientError]>(socket, "connect_error");
          assert.equal(err.message, "Invalid namespace");
        } finally {
          await srv.close();
        }
      });
    });
  }
}

describe("socket connect: unreachable server", () => {
  test("connect_error with the engine error, then reconnect_failed after the attempts", async () => {
    const socket = io("http://127.0.0.1:1", {
      transports: ["websocket"],
      reconnectionAttempts: 2,
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    const errors: Error[] = [];
    socket.on("connect_error", (err) => errors.push(err));
    const attempts: number[] = [];
    socket.io.on("reconnect_attempt", (n) => attempts.push(n));
    await once(socket.io, "reconnect_failed");
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(errors.length, 3);
    assert.equal(errors[0]!.message, "websocket error");
    socket.disconnect();
  });

  test('connect timeout → error "timeout"', async () => {
    const { createServer } = await import("node:net");
    // A TCP server that never answers: the engine cannot open.
    const held: import("node:net").Socket[] = [];
    const silent = createServer((c) => held.push(c));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const socket = io(`http://127.0.0.1:${port}`, { transports: ["polling"], timeout: 100, reconnection: false });
      const [err] = await once<[ClientError]>(socket, "connect_error");
      assert.equal(err.message, "timeout");
      assert.equal(err.code, "CONNECT_TIMEOUT");
      socket.disconnect();
    } finally {
      for (const c of held) c.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
