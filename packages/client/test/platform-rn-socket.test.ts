/**
 * The client on the simulated React Native host (test/hosts-rn: RN's WebSocket over `ws`, RN's
 * XHR over node:http), through `@omnio/client/react-native`, against the omnio server and the
 * official socket.io 4.8.4 server × websocket-only / polling-only / upgrade.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { io, createReactNativePlatform } from "@omnio/client/react-native";
import { createRNHost, type RNHost } from "./hosts-rn/rn-host.js";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

function rnPlatform(host: RNHost) {
  return createReactNativePlatform({ globals: host.globals, appState: host.AppState, netInfo: host.NetInfo });
}

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`react-native host [${kind}, ${mode.name}]`, () => {
      const base = { transports: mode.transports, upgrade: mode.upgrade };

      test("connect, events and binary both ways (exact ArrayBuffers), acks both ways", async () => {
        const srv = await startSio(kind);
        const host = createRNHost();
        try {
          const serverSocket = nextServerSocket(srv.io);
          const socket = io(srv.url, { ...base, reconnection: false, platform: rnPlatform(host) });
          await once(socket, "connect");
          const s = await serverSocket;
          assert.equal(socket.id, s.id);
          if (mode.upgrade) await until(() => s.conn.transport.name === "websocket", 5000, "upgrade");
          assert.equal(s.conn.transport.name, mode.name === "polling" ? "polling" : "websocket");

          const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
          const view = bytes.subarray(3, 6); // a view with a non-zero offset
          const up = once<[string, Buffer, { nested: Buffer }]>(s, "up");
          socket.emit("up", "héllo ☃", view, { nested: new Uint8Array([9, 8]).buffer });
          const [text, bin, obj] = await up;
          assert.equal(text, "héllo ☃");
          assert.deepEqual([...bin], [250, 251, 252]);
          assert.deepEqual([...obj.nested], [9, 8]);

          const down = once<[number, ArrayBuffer, { b: ArrayBuffer }]>(socket, "down");
          s.emit("down", 42, Buffer.from([4, 5, 6]), { b: Buffer.from([7]) });
          const [n, buf, nested] = await down;
          assert.equal(n, 42);
          assert.ok(buf instanceof ArrayBuffer, "binary arrives as an ArrayBuffer");
          assert.equal(buf.byteLength, 3);
          assert.deepEqual([...new Uint8Array(buf)], [4, 5, 6]);
          assert.ok(nested.b instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(nested.b)], [7]);

          s.on("double", (x: number, ack: (v: number) => void) => ack(x * 2));
          s.on("bin", (ack: (b: Buffer) => void) => ack(Buffer.from([1, 1])));
          assert.equal(await socket.timeout(3000).emitWithAck("double", 21), 42);
          const binAck = await socket.timeout(3000).emitWithAck<ArrayBuffer>("bin");
          assert.deepEqual([...new Uint8Array(binAck)], [1, 1]);
          socket.on("ask", (x: number, ack: (v: number) => void) => ack(x + 1));
          const fromServer = (await s.timeout(3000).emitWithAck("ask", 5)) as number;
          assert.equal(fromServer, 6);

          socket.disconnect();
          // Polling flushes before it closes, so the engine lets go of its listeners a moment later.
          await until(() => host.AppState.listenerCount === 0, 2000, "no AppState listener left behind");
          await until(() => host.NetInfo.listenerCount === 0, 2000, "no NetInfo listener left behind");
        } finally {
          await srv.close();
        }
      });

      test("namespaces share one connection; extraHeaders reach the server", async () => {
        const srv = await startSio(kind);
        const host = createRNHost();
        try {
          const adminSide = nextServerSocket(srv.io, "/admin");
          const mainSide = nextServerSocket(srv.io);
          const main = io(srv.url, {
            ...base,
            reconnection: false,
            platform: rnPlatform(host),
            extraHeaders: { "x-rn-app": "omnio-test" },
          });
          const admin = main.io.socket("/admin");
          admin.connect();
          await Promise.all([once(main, "connect"), once(admin, "connect")]);
          const [m, a] = await Promise.all([mainSide, adminSide]);
          assert.equal(srv.engineConnections(), 1, "one Engine.IO connection");
          assert.equal(m.handshake.headers["x-rn-app"], "omnio-test");
          if (mode.name === "websocket") {
            // The RN constructor's third argument: the WebSocket handshake carries the header.
            assert.equal(host.sockets[0]?.sentHeaders["x-rn-app"], "omnio-test");
          } else {
            assert.ok(host.requests.length > 0);
            assert.equal(host.requests[0]?.headers["x-rn-app"], "omnio-test");
          }
          const got = once<[string]>(admin, "hello");
          a.emit("hello", "admin only");
          assert.deepEqual(await got, ["admin only"]);
          main.disconnect();
          admin.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("the server drops the connection → reconnects with a new id, buffered emits delivered in order", async () => {
        const srv = await startSio(kind);
        const host = createRNHost();
        try {
          const first = nextServerSocket(srv.io);
          const socket = io(srv.url, {
            ...base,
            reconnectionDelay: 30,
            reconnectionDelayMax: 100,
            platform: rnPlatform(host),
          });
          await once(socket, "connect");
          const firstId = socket.id;
          const disconnect = once<[string]>(socket, "disconnect");
          const second = nextServerSocket(srv.io);
          (await first).conn.close();
          assert.equal((await disconnect)[0], "transport close");
          socket.emit("queued", 1);
          socket.emit("queued", 2);
          const s2 = await second;
          const seen: number[] = [];
          s2.on("queued", (n: number) => seen.push(n));
          await once(socket, "connect");
          assert.notEqual(socket.id, firstId);
          await until(() => seen.length === 2, 5000, "buffered emits");
          assert.deepEqual(seen, [1, 2]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });
    });
  }

  describe(`react-native host [${kind}] transports`, () => {
    test("WebSocket blocked by the network: polling keeps working, the upgrade fails quietly", async () => {
      const srv = await startSio(kind);
      const host = createRNHost();
      host.blockWebSocket = true;
      try {
        const serverSocket = nextServerSocket(srv.io);
        const socket = io(srv.url, { reconnection: false, platform: rnPlatform(host) });
        await once(socket, "connect");
        const s = await serverSocket;
        await until(() => host.sockets.length > 0, 5000, "an upgrade attempt");
        s.on("echo", (v: string, ack: (v: string) => void) => ack(v));
        assert.equal(await socket.timeout(3000).emitWithAck("echo", "over polling"), "over polling");
        assert.equal(s.conn.transport.name, "polling");
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("websocket first with tryAllTransports: a blocked WebSocket falls back to polling", async () => {
      const srv = await startSio(kind);
      const host = createRNHost();
      host.blockWebSocket = true;
      try {
        const serverSocket = nextServerSocket(srv.io);
        const socket = io(srv.url, {
          transports: ["websocket", "polling"],
          tryAllTransports: true,
          reconnection: false,
          platform: rnPlatform(host),
        });
        await once(socket, "connect");
        const s = await serverSocket;
        assert.equal(s.conn.transport.name, "polling");
        assert.ok(host.sockets.length >= 1, "the WebSocket was tried first");
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("withCredentials polling keeps the sticky-session cookie (RN's cookie store) on every request", async () => {
      const srv = await startSio(kind, { cookie: { name: "lb" } });
      const host = createRNHost();
      try {
        const socket = io(srv.url, {
          transports: ["polling"],
          withCredentials: true,
          reconnection: false,
          platform: rnPlatform(host),
        });
        await once(socket, "connect");
        await until(() => host.requests.length >= 3, 5000, "polling requests");
        const [handshake, ...rest] = host.requests;
        assert.equal(handshake?.headers.cookie, undefined);
        for (const r of rest) assert.match(r.headers.cookie ?? "", /^lb=/, `${r.method} carries the cookie`);
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });
  });
}
